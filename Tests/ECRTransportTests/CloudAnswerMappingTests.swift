import ECRProtocol
import XCTest
@testable import ECRTransport

final class CloudAnswerMappingTests: XCTestCase {
    private func answer(_ json: String) throws -> CloudAnswer {
        try XCTUnwrap(CloudAnswer(body: Array(json.utf8)), json)
    }

    private func query(_ json: String) throws -> Result<ECRResponse, TransportFailure> {
        CloudAnswerMapping.queryResponse(try answer(json), endpoint: "cloud")
    }

    private func push(_ json: String) throws -> Result<ECRResponse, TransportFailure> {
        CloudAnswerMapping.pushResponse(try answer(json), endpoint: "cloud")
    }

    func testRecordStatusCodesKeepTheirMeaning() throws {
        for (code, category) in [("0000", StatusCategory.success), ("1143", .pending), ("1145", .pending), ("1205", .failure)] {
            let response = try query(#"{"respcd":"0000","resperr":"Query success","respmsg":{"respcd":"\#(code)","syssn":"1"}}"#).get()
            XCTAssertEqual(response.outer, .accepted)
            XCTAssertEqual(response.category, category, code)
        }
    }

    func testNumericCodesReadAsTheirStrings() throws {
        for json in [#"{"respcd":0,"respmsg":{"respcd":0,"syssn":"1"}}"#, #"{"respcd":0000,"respmsg":{"respcd":0000,"syssn":"1"}}"#] {
            let response = try query(json).get()
            XCTAssertEqual(response.outer, .accepted, json)
            XCTAssertEqual(response.category, .success, json)
        }
        XCTAssertEqual(try query(#"{"respcd":1136,"resperr":"The order doesn't exist","respmsg":""}"#).get().category, .notFound)
        XCTAssertEqual(try push(#"{"respcd":1108,"resperr":"sign error","respmsg":""}"#).get().outer, .denied)
    }

    func testRecordWithoutRespcdIsReadFromStatusOrStaysPending() throws {
        let paid = try query(#"{"respcd":"0000","respmsg":{"status":"1","syssn":"1"}}"#).get()
        XCTAssertEqual(paid.data?.status, .success)
        let unclear = try query(#"{"respcd":"0000","respmsg":{"status":"0","syssn":"1"}}"#).get()
        XCTAssertEqual(unclear.data?.status, .processing, "never guessed as failed: polling goes on")
    }

    func testRecordSerializedIntoAStringIsReadToo() throws {
        let response = try query(#"{"respcd":"0000","respmsg":"{\"respcd\":\"0000\",\"txamt\":\"1050\"}"}"#).get()
        XCTAssertEqual(response.data?.amount, Amount(cents: 1050))
    }

    func testSuccessfulQueryWithoutARecordIsPending() throws {
        XCTAssertEqual(try query(#"{"respcd":"0000","respmsg":""}"#).get().category, .pending)
    }

    func testOrderNotFoundIsNotFoundOnAQueryButARejectionOnAPush() throws {
        XCTAssertEqual(try query(#"{"respcd":"1136","resperr":"The order doesn't exist","respmsg":""}"#).get().category, .notFound)
        let refund = try push(#"{"respcd":"1136","resperr":"Transaction doesn't exist","respmsg":""}"#).get()
        XCTAssertEqual(refund.outer, .badParameters)
        XCTAssertEqual(refund.respmsg, "Transaction doesn't exist")
    }

    func testCloudRefusalsBecomeRejectionsWithFittingOuterCodes() throws {
        let expected: [(String, OuterStatus)] = [("1108", .denied), ("1104", .badParameters), ("1106", .otherError),
                                                 ("1105", .otherError), ("1102", .requestError), ("1100", .requestError)]
        for (code, outer) in expected {
            for mapped in [try push(#"{"respcd":"\#(code)","resperr":"words"}"#), try query(#"{"respcd":"\#(code)","resperr":"words"}"#)] {
                let response = try mapped.get()
                XCTAssertEqual(response.outer, outer, code)
                XCTAssertEqual(response.category, .rejected, code)
                XCTAssertEqual(response.resperr, "ECR Cloud \(code): words")
            }
        }
    }

    func testPendingCodesArePendingEverywhere() throws {
        XCTAssertEqual(try push(#"{"respcd":"1145","resperr":"processing"}"#).get().category, .pending)
        XCTAssertEqual(try query(#"{"respcd":"1143","resperr":"password"}"#).get().category, .pending)
    }

    func testAnythingElseIsUnknown() throws {
        for mapped in [try push(#"{"respcd":"2011","resperr":"?"}"#), try query(#"{"respcd":"1298","resperr":"?"}"#)] {
            guard case .failure(let failure) = mapped else { return XCTFail("expected unknown") }
            XCTAssertEqual(failure.certainty, .unknown)
        }
        XCTAssertNil(CloudAnswer(body: Array("<html>".utf8)))
        XCTAssertNil(CloudAnswer(body: Array(#"{"resperr":"no code"}"#.utf8)))
    }
}
