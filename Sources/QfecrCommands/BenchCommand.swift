import ArgumentParsing
import ECRConfiguration
import ECRProtocol
import ECRTransport
import Foundation

/// `qfecr bench`: N inquiries, one after another, over the chosen transport exactly as a payment's
/// polling makes them (HTTP, HTTPS and TCP: a new connection each; serial: the open line). Prints
/// how long the round trips took. Needs no journal and takes no lock: an inquiry changes nothing.
enum BenchCommand {
    static let spec = CommandSpec(
        name: "bench", abstract: "Time N inquiries (4001; cloud: query) to the terminal, one after another.",
        discussion: """
        Each inquiry is made as a payment's polling makes it: a new connection each over HTTP, HTTPS and TCP, \
        the open line over serial. Prints p50, p99, mean and requests per second. Never pays, refunds or prints, \
        and does not touch the journal. Exit 0 when every inquiry was answered (a "not found" answer counts), else 4.
        """,
        options: CommandTable.connectionOptions + [
            OptionSpec("count", valueName: "N", help: "How many inquiries (1-1000000).", required: true),
            OptionSpec("out-trade-no", valueName: "ID", help: "Ask about this merchant order number.", default: "BENCH-0001"),
        ],
        flags: CommandTable.connectionFlags + [CommandTable.jsonFlag])

    static let countLimit = 1_000_000

    static func run(_ parsed: ParsedArguments, io: CommandIO) throws -> ExitCode {
        guard let count = try parsed.int("count"), (1...countLimit).contains(count) else {
            throw CommandFailure.usage("--count must be a whole number from 1 to \(countLimit)")
        }
        let request = ECRRequest.inquiry(.outTradeNo(try parsed.requiredOption("out-trade-no")))
        do { try request.validate() } catch { throw CommandFailure.usage(error.description) }
        let profile = try TerminalSession.loadProfile(parsed, io: io)
        let trace = try TerminalSession.openTrace(parsed, profile: profile)
        let transport: any Transport
        do { transport = try TransportFactory.make(profile: profile, observer: trace) } catch {
            throw CommandFailure.configuration(error.description)
        }
        defer { (transport as? any ClosingTransport)?.close() }

        let run = try runBlocking { await measure(request, count: count, over: transport) }
        let summary = LatencySummary(run.latencies, seconds: run.seconds)
        let kind = profile.transport.rawValue
        if parsed.flag("json") {
            var fields: [(String, JSONValue)] = [
                ("transport", .string(kind)), ("endpoint", .string(transport.endpointDescription)),
                ("count", .number(String(count))), ("answered", .number(String(run.latencies.count))),
                ("failed", .number(String(run.failures))),
            ]
            fields += summary.fields
            fields.append(("first_failure", run.firstFailure.map(JSONValue.string) ?? .null))
            io.out(JSONValue.object(JSONObject(fields)).serialized())
        } else {
            let how = profile.transport == .serial ? "over the open line" : "a new connection each"
            io.out("qfecr bench: \(count) inquiries to \(transport.endpointDescription) (\(kind), \(how))")
            io.out("answered \(run.latencies.count) of \(count)" + (run.failures > 0 ? ", \(run.failures) failed" : ""))
            if !run.latencies.isEmpty { io.out(summary.line) }
            if let failure = run.firstFailure {
                io.err("qfecr: first failure: \(failure) (`qfecr doctor` checks the connection step by step)")
            }
        }
        return run.failures == 0 ? .ok : .connectionOrConfiguration
    }

    struct Run: Sendable {
        var latencies: [Double] = []
        var failures = 0
        var firstFailure: String?
        var seconds = 0.0
    }

    /// Sequential inquiries, each timed from the call to the decoded answer.
    static func measure(_ request: ECRRequest, count: Int, over transport: any Transport) async -> Run {
        var run = Run()
        run.latencies.reserveCapacity(count)
        let clock = ContinuousClock()
        let began = clock.now
        for _ in 0..<count {
            let start = clock.now
            do throws(TransportFailure) {
                _ = try await transport.perform(request)
                run.latencies.append(seconds(clock.now - start))
            } catch {
                run.failures += 1
                if run.firstFailure == nil { run.firstFailure = error.description }
            }
        }
        run.seconds = seconds(clock.now - began)
        return run
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// Round-trip figures of a run: nearest-rank percentiles of the answered requests, and the rate
/// over the whole run's wall time (failures included).
struct LatencySummary: Equatable {
    let p50: Double
    let p99: Double
    let mean: Double
    let perSecond: Double

    init(_ latencies: [Double], seconds: Double) {
        let sorted = latencies.sorted()
        func rank(_ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let index = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
            return sorted[min(max(index, 0), sorted.count - 1)]
        }
        p50 = rank(0.5)
        p99 = rank(0.99)
        mean = sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count)
        perSecond = seconds > 0 ? Double(latencies.count) / seconds : 0
    }

    static func milliseconds(_ seconds: Double) -> String { String(format: "%.3f", seconds * 1000) }

    var line: String {
        "p50 \(Self.milliseconds(p50)) ms  p99 \(Self.milliseconds(p99)) ms  mean \(Self.milliseconds(mean)) ms  "
            + String(format: "%.0f", perSecond) + " requests/s"
    }

    var fields: [(String, JSONValue)] {
        [("p50_ms", .number(Self.milliseconds(p50))), ("p99_ms", .number(Self.milliseconds(p99))),
         ("mean_ms", .number(Self.milliseconds(mean))), ("requests_per_second", .number(String(format: "%.1f", perSecond)))]
    }
}
