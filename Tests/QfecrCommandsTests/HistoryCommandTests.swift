import XCTest
import ECREngine
import ECRProtocol
@testable import QfecrCommands

/// `qfecr history` ranges, filters, rows and totals over a journal written as the engine writes it.
final class HistoryCommandTests: XCTestCase {
    var till: EmptyTill!
    /// Hong Kong: UTC+8, so a day's edges are not UTC's.
    let zone = TimeZone(identifier: "Asia/Hong_Kong")!

    override func setUpWithError() throws {
        till = try EmptyTill("history")
        let journal = try Journal(directory: till.root.appendingPathComponent("data/qfecr").path)
        // 2026-11-20 23:30 and 2026-11-21 00:30 Hong Kong time (15:30 and 16:30 UTC on the 20th).
        let late = Date(timeIntervalSince1970: 1_795_188_600)
        let early = late.addingTimeInterval(3600)
        try journal.append(attempt("T01-A", cents: 1000, .approved, channel: .wechat, at: late, syssn: "S1"), at: late)
        try journal.append(attempt("T01-B", cents: 250, .declined, channel: .alipay, at: early), at: early)
        try journal.append(attempt("T01-C", cents: 5000, .approved, channel: .alipay, at: early, syssn: "S3"), at: early)
        var refund = attempt("T01-D", cents: 1200, .approved, channel: .alipay, at: early, syssn: "S4")
        refund.kind = .refund
        refund.refund = RefundOrigin(originalSyssn: "S3", requestedAmount: nil)
        try journal.append(refund, at: early)
    }

    func attempt(_ id: String, cents: Int64, _ state: AttemptState, channel: Channel, at: Date, syssn: String? = nil) -> PaymentAttempt {
        var a = PaymentAttempt(outTradeNo: id, kind: .payment, amount: Amount(cents: cents), channel: channel, createdAt: at,
                               tillID: "T01", paymentTimeout: 60, state: state)
        a.syssn = syssn
        return a
    }

    func history(_ arguments: [String]) -> CommandRun {
        CommandRun(["history"] + arguments, environment: till.environment.merging(["TZ": "Asia/Hong_Kong"]) { $1 })
    }

    func testRangeIsLocalDaysInclusive() {
        let only21 = history(["--since", "2026-11-21", "--until", "2026-11-21", "--csv"])
        XCTAssertEqual(only21.exitCode, 0, only21.stderr)
        XCTAssertEqual(only21.lines.first, HistoryCommand.csvHeader)
        XCTAssertEqual(only21.lines.dropFirst().map { $0.split(separator: ",")[1] }, ["T01-B", "T01-C", "T01-D"])
        let only20 = history(["--until", "2026-11-20", "--csv"])
        XCTAssertEqual(only20.lines.dropFirst().map { $0.split(separator: ",")[1] }, ["T01-A"])
        XCTAssertTrue(only20.lines[1].hasPrefix("2026-11-20T23:30:00+08:00,"), "local time with its offset: \(only20.lines[1])")
    }

    func testBadDatesAreUsageErrors() {
        for arguments in [["--since", "2026-02-30"], ["--until", "21/11/2026"], ["--since", "2026-1-5"],
                          ["--since", "2026-11-22", "--until", "2026-11-21"], ["--today", "--since", "2026-11-21"]] {
            let run = history(arguments)
            XCTAssertEqual(run.exitCode, 2, "\(arguments)")
            XCTAssertTrue(run.stderr.contains("YYYY-MM-DD") || run.stderr.contains("together") || run.stderr.contains("before"), run.stderr)
        }
    }

    func testFiltersAndRefundRowNamesItsSale() {
        let alipay = history(["--channel", "alipay", "--state", "approved"])
        XCTAssertEqual(alipay.exitCode, 0, alipay.stderr)
        XCTAssertTrue(alipay.lines[0].hasPrefix("TIME"), "a header line: \(alipay.lines[0])")
        XCTAssertEqual(alipay.lines.count, 3, alipay.stdout)
        XCTAssertTrue(alipay.lines[2].contains("T01-D") && alipay.lines[2].contains("refund of S3"), alipay.lines[2])
        XCTAssertTrue(alipay.lines[2].contains("2026-11-21 00:30:00+08:00"), alipay.lines[2])
        let csv = history(["--csv", "--channel", "alipay"])
        XCTAssertTrue(csv.lines.last!.hasSuffix(",S3"), "orig_syssn column: \(csv.lines.last!)")
        XCTAssertEqual(history(["--channel", "bitcoin"]).exitCode, 2)
    }

    func testTotalsPerChannelAndState() {
        let run = history(["--totals", "--csv"])
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        XCTAssertEqual(Set(run.lines), [
            "group,key,payments,payment_amount,refunds,refund_amount,net",
            "channel,alipay,1,50.00,1,12.00,38.00",
            "channel,wx,1,10.00,0,0.00,10.00",
            "state,approved,2,60.00,1,12.00,48.00",
            "state,declined,1,2.50,0,0.00,2.50",
            "total,approved,2,60.00,1,12.00,48.00",
        ])
        let json = history(["--totals", "--json", "--since", "2026-11-21"])
        XCTAssertTrue(json.stdout.contains("\"alipay\":{\"payments\":1,\"payment_amount\":\"50.00\",\"refunds\":1,\"refund_amount\":\"12.00\",\"net\":\"38.00\"}"), json.stdout)
        XCTAssertFalse(json.stdout.contains("\"wx\""), "the 20th's sale is outside the range")
        XCTAssertTrue(history(["--totals"]).stdout.contains("channel alipay"))
    }

    func testTotalsOverflowIsRefused() {
        let big = PaymentAttempt(outTradeNo: "X", kind: .payment, amount: Amount(cents: .max), channel: .wechat, createdAt: Date(),
                                 tillID: "T", paymentTimeout: 60, state: .approved)
        XCTAssertThrowsError(try AttemptTotals([big, big]))
        XCTAssertNoThrow(try AttemptTotals([big]))
    }
}

/// Completions and the manual page come from the command table: every command and option is in them.
final class CompletionsAndManPageTests: XCTestCase {
    func testBashCompletionLoadsAndCompletes() throws {
        let script = ShellCompletions.bash()
        let probe = """
        \(script)
        complete -p qfecr
        COMP_WORDS=(qfecr pa); COMP_CWORD=1; _qfecr; echo "1:${COMPREPLY[*]}"
        COMP_WORDS=(qfecr history --st); COMP_CWORD=2; _qfecr; echo "2:${COMPREPLY[*]}"
        COMP_WORDS=(qfecr history --state un); COMP_CWORD=3; _qfecr; echo "3:${COMPREPLY[*]}"
        COMP_WORDS=(qfecr --config f encode p); COMP_CWORD=4; _qfecr; echo "4:${COMPREPLY[*]}"
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", probe]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, output)
        XCTAssertTrue(output.contains("complete -F _qfecr qfecr"), output)
        XCTAssertTrue(output.contains("1:pay\n"), output)
        XCTAssertTrue(output.contains("2:--state\n"), output)
        XCTAssertTrue(output.contains("3:unknown unresolved\n"), output)
        XCTAssertTrue(output.contains("4:pay print\n"), output)
    }

    func testEveryCommandAndOptionIsInCompletionsAndManPage() {
        let bash = ShellCompletions.bash(), fish = ShellCompletions.fish(), man = ManPage.roff(version: "test")
        for (path, spec) in ShellCompletions.commands() where !path.isEmpty {
            XCTAssertTrue(man.contains(".SS \"qfecr \(ManPage.escape(path))"), "man page: \(path)")
            XCTAssertTrue(fish.contains("-a \(spec.name) "), "fish: \(path)")
            for name in spec.options.map(\.name) + spec.flags.map(\.name) {
                XCTAssertTrue(bash.contains("--\(name)"), "bash: \(path) --\(name)")
                XCTAssertTrue(man.contains("\\fB\\-\\-\(ManPage.escape(name))\\fR"), "man: \(path) --\(name)")
            }
        }
        XCTAssertTrue(man.contains(".SH EXIT STATUS"))
        for code in 0...4 { XCTAssertTrue(man.contains(".TP\n\(code)\n"), "exit code \(code)") }
        XCTAssertEqual(CommandRun(["completions", "tcsh"]).exitCode, 2)
    }
}
