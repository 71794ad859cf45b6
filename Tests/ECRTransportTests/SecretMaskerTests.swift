import XCTest
@testable import ECRTransport

final class SecretMaskerTests: XCTestCase {
    func testEveryOccurrenceOfEverySecretIsMaskedWhateverItsCase() {
        let masker = SecretMasker(secrets: ["f46b1f08bec1f39104792cc79ec9aacd", "CLIENTKEY42", ""])
        XCTAssertEqual(masker.mask("k=f46b1f08bec1f39104792cc79ec9aacd, K=F46B1F08BEC1F39104792CC79EC9AACD; clientkey42!"),
                       "k=…aacd, K=…aacd; …EY42!")
    }

    func testTextWithoutSecretsAndMaskersWithoutSecretsChangeNothing() {
        let bytes: [UInt8] = [0x2F, 0x6E, 0x00, 0xFF, 0x41]
        XCTAssertEqual(SecretMasker(secrets: ["secretsecret"]).mask(bytes), bytes)
        XCTAssertTrue(SecretMasker(secrets: []).isEmpty)
        XCTAssertEqual(SecretMasker(secrets: []).mask(bytes), bytes)
    }

    func testALongerSecretIsMaskedBeforeOneInsideIt() {
        let masker = SecretMasker(secrets: ["abcdefgh", "abcdefgh-long-version"])
        XCTAssertEqual(masker.mask("abcdefgh-long-version abcdefgh"), "…sion …efgh")
        XCTAssertEqual(SecretMasker.maskedForm(of: "abc"), "…")
    }

    func testMaskingObserverPassesEventsAndNotesOnMasked() {
        let recorder = NoteRecorder()
        let observer = SecretMaskingObserver(recorder, masker: SecretMasker(secrets: ["topsecretvalue"]))
        observer.observe(WireEvent(direction: .inbound, label: "l", bytes: Array("x topsecretvalue y".utf8)))
        observer.observe(note: WireNote(label: "l", text: "saw topsecretvalue"))
        XCTAssertEqual(recorder.text(.inbound), "x …alue y")
        XCTAssertEqual(recorder.notes.map(\.text), ["saw …alue"])
    }
}
