import Foundation
import XCTest
@testable import ECRTransport

final class SecretMaskerTests: XCTestCase {
    func testEveryOccurrenceOfEverySecretIsMaskedWhateverItsCase() {
        let masker = SecretMasker(secrets: ["f46b1f08bec1f39104792cc79ec9aacd", "CLIENTKEY42", ""])
        XCTAssertEqual(masker.mask("k=f46b1f08bec1f39104792cc79ec9aacd, K=F46B1F08BEC1F39104792CC79EC9AACD; clientkey42!"),
                       "k=…aacd, K=…aacd; …EY42!")
    }

    func testASecretEchoedAsHexOrBase64IsMaskedToo() {
        let key = "f46b1f08bec1f39104792cc79ec9aacd"
        let hex = Array(key.utf8).map { String(format: "%02X", $0) }.joined()
        let base64 = Data(key.utf8).base64EncodedString()
        let masked = SecretMasker(secrets: [key]).mask("hex \(hex) b64 \(base64).")
        XCTAssertEqual(masked, "hex …aacd b64 …aacd.")
    }

    func testTerminalTextLosesControlsEscapesAndBidiOverrides() {
        let nasty = "OK\u{1B}[2J\u{1B}[31mred\u{1B}[0m\u{1B}]0;pwned title\u{07} bell\u{07} nul\u{00} del\u{7F} c1\u{9B}1;1H"
            + " csi8\u{85}x rlo\u{202E}txet\u{2066}iso\u{2069} dcs\u{1B}Pq#0;2\u{1B}\\ end\u{1B}(B\nline\ttab"
        XCTAssertEqual(TerminalText.clean(nasty), "OKred bell nul del c1 csi8x rlotxetiso dcs end line tab")
        XCTAssertEqual(TerminalText.clean("訂單不存在 — ok"), "訂單不存在 — ok", "printable text, CJK included, stays")
        XCTAssertEqual(TerminalText.clean("cut \u{1B}["), "cut ")
        XCTAssertEqual(TerminalText.clean("split key f46b1f08bec1f391\u{1B}[0m04792cc79ec9aacd"), "split key f46b1f08bec1f39104792cc79ec9aacd")
        XCTAssertEqual(SecretMasker(secrets: ["f46b1f08bec1f39104792cc79ec9aacd"]).clean("split f46b1f08bec1f391\u{1B}[0m04792cc79ec9aacd"),
                       "split …aacd", "cleaned first, so a key broken up by escapes is still masked")
    }

    func testTextWithoutSecretsAndMaskersWithoutSecretsChangeNothing() {
        let bytes: [UInt8] = [0x2F, 0x6E, 0x00, 0xFF, 0x41]
        XCTAssertEqual(SecretMasker(secrets: ["secretsecret"]).mask(bytes), bytes)
        XCTAssertTrue(SecretMasker(secrets: []).isEmpty)
        XCTAssertEqual(SecretMasker(secrets: []).mask(bytes), bytes)
    }

    /// Texts shorter than every secret are passed over whole, so a secret exactly filling a text,
    /// or ending at its last byte, must still be found.
    func testASecretAtEitherEdgeOrFillingTheWholeTextIsMasked() {
        let key = "f46b1f08bec1f39104792cc79ec9aacd"
        let masker = SecretMasker(secrets: [key])
        XCTAssertEqual(masker.mask(key), "…aacd")
        XCTAssertEqual(masker.mask("x" + key), "x…aacd")
        XCTAssertEqual(masker.mask(key + "y"), "…aacdy")
        XCTAssertEqual(masker.mask(String(key.dropLast())), String(key.dropLast()), "one byte short is no secret")
        let short = SecretMasker(secrets: ["ab"])
        XCTAssertEqual(short.mask("ab"), "…")
        XCTAssertEqual(short.mask("xAB"), "x…")
        XCTAssertEqual(short.mask("a"), "a")
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
