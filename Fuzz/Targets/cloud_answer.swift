@testable import ECRTransport

// ECR Cloud answers: the body reader and the mapping onto terminal responses, for a push and a query.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCloudAnswer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    guard let answer = CloudAnswer(body: bytes) else { return 0 }
    _ = CloudAnswerMapping.pushResponse(answer, endpoint: "/ecr/v1/payment/async")
    _ = CloudAnswerMapping.queryResponse(answer, endpoint: "/ecr/v1/query")
    return 0
}
