import XCTest
@testable import QfecrCommands

final class EncodeDecodeCommandTests: XCTestCase {
    func testEncodeInquiryPrintsTheVectorLines() {
        let run = CommandRun(["encode", "inquiry", "--order-id", "12345678"], environment: keyEnvironment)
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        XCTAssertEqual(run.lines, [
            "content: {func_type=4001,orderId='12345678'}",
            "digest: 99CE8BF9C7304AC964522D10F51660B4",
            "body: \"XczeNuwMCct+IaXZ00lv7Pern+ttWiSyG+Y62QH+wXr471L2opZR5JPeQPXADN/Xc1s+VL82RqBp0KFPo5Mm6KUFau0S1WRPC2YN4s6WpiFjwrbGPq3JPZ2OYXTGZHAb\"",
        ])
    }

    func testEncodePaymentVectorAndPlainForm() {
        let args = ["encode", "pay", "--amount", "100", "--channel", "card_payment", "--out-trade-no", "456799999999"]
        let run = CommandRun(args, environment: keyEnvironment)
        XCTAssertEqual(run.lines.first, "content: {amt=100,channel='card_payment',func_type=1001,out_trade_no='456799999999'}")
        XCTAssertEqual(run.lines[1], "digest: 2488996B9F24A85B41488ECB435B331D")
        let plain = CommandRun(args + ["--no-encryption"], environment: keyEnvironment)
        XCTAssertEqual(plain.lines[2], #"body: {"content":{"amt":100,"channel":"card_payment","func_type":1001,"out_trade_no":"456799999999"},"digest":"2488996B9F24A85B41488ECB435B331D"}"#)
    }

    func testEncodeAllOptionalFields() {
        let run = CommandRun(["encode", "pay", "--amount", "10.50", "--channel", "payme", "--out-trade-no", "T1",
                              "--payment-timeout", "90", "--camera", "1", "--scan-type", "QRCODE_PAY", "--move-to-back", "1",
                              "--wait-card-timeout", "60"], environment: keyEnvironment)
        XCTAssertEqual(run.lines.first,
                       "content: {amt=10.5,camera_id=1,channel='payme',func_type=1001,moveToBack=1,out_trade_no='T1',payment_timeout=90,scan_type='QRCODE_PAY',wait_card_timeout=60}")
    }

    func testInvalidInputExitsTwoWithOneLine() {
        let cases: [([String], String)] = [
            (["encode", "pay", "--amount", "1.234", "--channel", "wx", "--out-trade-no", "A"], "more than 2 decimals"),
            (["encode", "pay", "--amount", "1", "--channel", "bitcoin", "--out-trade-no", "A"], "unknown channel 'bitcoin'"),
            (["encode", "pay", "--amount", "1", "--channel", "wx"], "missing option '--out-trade-no ID'"),
            (["encode", "pay", "--amount", "1", "--channel", "payme", "--out-trade-no", "A", "--payment-timeout", "200"], "at most 120"),
            (["encode", "pay", "--amont", "1"], "did you mean '--amount'"),
            (["encode", "inquiry"], "exactly one of --order-id or --out-trade-no"),
            (["encode", "pay", "--amount", "1", "--channel", "wx", "--out-trade-no", "A", "--camera", "2"], "camera"),
            (["encode"], "encode"),
        ]
        for (args, expected) in cases {
            let run = CommandRun(args, environment: keyEnvironment)
            XCTAssertEqual(run.exitCode, 2, "\(args)")
            XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, "\(args): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(expected), "\(args): \(run.stderr)")
        }
    }

    func testMissingKeyIsAConfigurationErrorThatNamesTheVariable() {
        let run = CommandRun(["encode", "summary"])
        XCTAssertEqual(run.exitCode, 4)
        XCTAssertTrue(run.stderr.contains("QFECR_KEY"))
    }

    func testDecodeBodyChecksTheDigest() {
        let body = "\"XczeNuwMCct+IaXZ00lv7Pern+ttWiSyG+Y62QH+wXr471L2opZR5JPeQPXADN/Xc1s+VL82RqBp0KFPo5Mm6KUFau0S1WRPC2YN4s6WpiFjwrbGPq3JPZ2OYXTGZHAb\""
        let run = CommandRun(["decode", "--body", body], environment: keyEnvironment)
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("content: {func_type=4001,orderId='12345678'}"))
        XCTAssertTrue(run.stdout.contains("operation: inquiry (func_type 4001)"))
        XCTAssertTrue(run.stdout.contains("(matches the POS-KEY)"))

        let wrong = CommandRun(["decode", "--body", #"{"content":{"func_type":3002},"digest":"AA"}"#], environment: keyEnvironment)
        XCTAssertEqual(wrong.exitCode, 1)
        XCTAssertTrue(wrong.stdout.contains("DOES NOT match"))
    }

    func testEncodePipedIntoDecode() {
        let encoded = CommandRun(["encode", "refund", "--order-id", "S1", "--amount", "0.05"], environment: keyEnvironment)
        let decoded = CommandRun(["decode"], environment: keyEnvironment, stdin: encoded.stdout)
        XCTAssertEqual(decoded.exitCode, 0, decoded.stderr)
        XCTAssertTrue(decoded.stdout.contains("content: {func_type=1002,orderId='S1',refund_amount='0.05'}"))
    }

    func testDecodeWithoutKeyReadsPlainBodiesAndSaysDigestUnchecked() {
        let run = CommandRun(["decode", "--body", #"{"content":{"func_type":3002},"digest":"AA"}"#])
        XCTAssertEqual(run.exitCode, 0)
        XCTAssertTrue(run.stdout.contains("not checked: set QFECR_KEY"))
        let encrypted = CommandRun(["decode", "--body", "\"AAAA\""])
        XCTAssertEqual(encrypted.exitCode, 2)
        XCTAssertTrue(encrypted.stderr.contains("QFECR_KEY"))
    }

    func testTheKeyIsNeverPrinted() {
        for args in [["encode", "summary"], ["decode", "--body", "\"AAAA\""], ["encode", "pay", "--amount", "x"]] {
            let run = CommandRun(args, environment: keyEnvironment)
            XCTAssertFalse((run.stdout + run.stderr).contains(defaultKey), "\(args)")
        }
    }

    func testHelpListsEveryCommandOfTheContract() {
        let run = CommandRun(["--help"])
        XCTAssertEqual(run.exitCode, 0)
        for command in ["demo", "pay", "refund", "query", "print", "summary", "cancel", "history", "doctor", "simulate", "bench", "encode", "decode"] {
            XCTAssertTrue(run.stdout.contains("\n  \(command) "), command)
        }
    }
}

final class PacketCommandTests: XCTestCase {
    func testEncodePacketFramesTheBodyAndDecodeReadsItBack() {
        let encoded = CommandRun(["encode", "summary", "--packet", "--ref", "5"], environment: keyEnvironment)
        XCTAssertEqual(encoded.exitCode, 0, encoded.stderr)
        guard let packetLine = encoded.lines.first(where: { $0.hasPrefix("packet: ") }) else { return XCTFail("no packet line") }
        let hex = String(packetLine.dropFirst("packet: ".count))
        XCTAssertTrue(hex.hasPrefix("2F 6E 01 10 05 "), hex)
        XCTAssertTrue(hex.hasSuffix(" 2F 6E"), hex)
        let decoded = CommandRun(["decode", "--packet", hex], environment: keyEnvironment)
        XCTAssertEqual(decoded.exitCode, 0, decoded.stderr)
        XCTAssertTrue(decoded.stdout.contains("content: {func_type=3002}"))
        XCTAssertTrue(decoded.stdout.contains("matches the POS-KEY"))
    }

    func testBadPacketInputIsAUsageError() {
        for hex in ["2f6e011001007f0074", "zz", "2f6e0"] {
            let run = CommandRun(["decode", "--packet", hex], environment: keyEnvironment)
            XCTAssertEqual(run.exitCode, 2, hex)
            XCTAssertFalse(run.stderr.isEmpty)
        }
        XCTAssertEqual(CommandRun(["encode", "summary", "--packet", "--ref", "0"], environment: keyEnvironment).exitCode, 2)
        XCTAssertEqual(CommandRun(["encode", "summary", "--packet", "--ref", "128"], environment: keyEnvironment).exitCode, 2)
    }
}

final class EncodeRefTests: XCTestCase {
    func testRefWithoutPacketIsRefused() {
        let run = CommandRun(["encode", "summary", "--ref", "5"], environment: keyEnvironment)
        XCTAssertEqual(run.exitCode, 2)
        XCTAssertTrue(run.stderr.contains("--packet"), run.stderr)
    }
}
