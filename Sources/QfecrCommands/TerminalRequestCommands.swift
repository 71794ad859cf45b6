import ArgumentParsing
import ECREngine
import ECRProtocol
import ECRTransport
import Foundation

/// `qfecr query`, `print`, `summary` and `cancel`: one request to the terminal on the cashier's
/// behalf. Unfinished attempts from an earlier run are resumed and resolved first.
enum TerminalRequestCommand {
    static func run(_ parsed: ParsedArguments, io: CommandIO) throws -> ExitCode {
        let json = parsed.flag("json")
        let request: ECRRequest
        switch parsed.commandPath.first {
        case "query":
            if let id = parsed.option("order-id") { request = .inquiry(.orderId(id)) } else {
                request = .inquiry(.outTradeNo(try parsed.requiredOption("out-trade-no")))
            }
        case "print": request = .printReceipt(orderId: try parsed.requiredPositional("ORDER_ID"))
        case "summary": request = .printSummary
        default: request = .cancelRequest
        }
        do { try request.validate() } catch { throw CommandFailure.usage(error.description) }
        let session = try TerminalSession(parsed, io: io, needsEngine: false)
        if let pid = session.heldBy, !json {
            io.err("qfecr: another qfecr (pid \(pid)) is driving the journal; asking the terminal directly")
        }
        return try runBlocking {
            if request == .cancelRequest, let engine = session.engine {
                // Our own unfinished attempt: cancel it through the engine, which keeps polling.
                await session.tellAboutAttemptsElsewhere()
                _ = await engine.resumePending()
                if let cancelled = try? await engine.cancelCurrent() {
                    if !json { io.err("qfecr: cancel sent for \(cancelled.outTradeNo); waiting for its outcome…") }
                    await session.showProgress { _ = await engine.outcome(of: cancelled.outTradeNo) }
                    return TransactionOutput.print(await engine.attempt(cancelled.outTradeNo) ?? cancelled, json: json, io: io,
                                                   journal: await session.journalNotes(for: cancelled.outTradeNo))
                }
            }
            guard await session.resumePending() != nil else { return TransactionOutput.stoppedWhileResuming(json: json, io: io) }
            let answer: TerminalAnswer
            if let engine = session.engine {
                do {
                    switch request {
                    case .inquiry(let key): answer = try await engine.query(key)
                    case .printReceipt(let id): answer = try await engine.printReceipt(orderId: id)
                    case .printSummary: answer = try await engine.printSummary()
                    default: answer = await direct(request, session.transport)
                    }
                } catch let refusal as EngineRefusal {
                    return TransactionOutput.printRefusal(session.explain(refusal), code: TransactionOutput.exitCode(for: refusal), json: json, io: io,
                                                          journal: await session.journalNotes())
                }
            } else {
                // The journal is busy, but still says where each attempt went: another terminal's answer is not asked for.
                if case .inquiry(.outTradeNo(let id)) = request, let refusal = session.refusalElsewhere(id) {
                    return TransactionOutput.printRefusal(session.explain(refusal), code: TransactionOutput.exitCode(for: refusal), json: json, io: io)
                }
                answer = await direct(request, session.transport)
            }
            let notes = await session.journalNotes(for: answer.attempt?.outTradeNo)
            if let attempt = answer.attempt, answer.failure == nil, case .inquiry(.outTradeNo) = request {
                // A final outcome in the journal that the terminal now contradicts (paid vs not paid):
                // the cashier must see the terminal's word, not the journal's.
                if attempt.state.isFinal, answer.succeeded, let record = answer.record, let status = record.status,
                   record.outTradeNo == nil || record.outTradeNo == attempt.outTradeNo,
                   [.success, .failure, .cancelled].contains(status.category),
                   (status.category == .success) != (attempt.state == .approved) {
                    io.err("qfecr: warning: the journal has \(attempt.outTradeNo) as \(attempt.reportedState.rawValue) (\(attempt.message)); "
                        + "the terminal now says \(status.code) (\(status.meaning.english)) — it is what counts")
                    return report(answer, json: json, io: io, journal: notes)
                }
                let about = answer.record.flatMap { $0.outTradeNo == nil || $0.outTradeNo == attempt.outTradeNo ? $0 : nil }
                return TransactionOutput.print(attempt, json: json, io: io, standing: RefundStanding(about), journal: notes)
            }
            return report(answer, json: json, io: io, journal: notes)
        }
    }

    static func direct(_ request: ECRRequest, _ transport: any Transport) async -> TerminalAnswer {
        do throws(TransportFailure) {
            return TerminalAnswer(direct: request, response: try await transport.perform(request), failure: nil)
        } catch {
            return TerminalAnswer(direct: request, response: nil, failure: error)
        }
    }

    /// The state a script sees for a terminal answer, and its exit code.
    static func verdict(_ answer: TerminalAnswer) -> (state: String, code: ExitCode) {
        if let failure = answer.failure { return (failure.certainty == .notSent ? "rejected" : "unknown", TransactionOutput.exitCode(for: failure)) }
        guard let response = answer.response else { return ("unknown", .unresolved) }
        guard answer.request.operation == .inquiry else {
            return refusal(answer) == nil ? ("ok", .ok) : ("rejected", .declined)
        }
        switch response.category {
        case .success: return ("approved", .ok)
        case .pending: return ("unknown", .unresolved)
        case .notFound, .failure: return ("declined", .declined)
        case .cancelled: return ("cancelled", .declined)
        case .rejected: return ("rejected", .declined)
        }
    }

    /// Why the terminal did not do a print, summary or cancel: the transaction status it gave
    /// (`1136`: no such order), else its outer code. Every transport reports an unknown order as
    /// status 1136, so the cashier reads the same words whichever way the till is connected.
    static func refusal(_ answer: TerminalAnswer) -> (code: String, meaning: String)? {
        guard let response = answer.response else { return nil }
        if let status = response.data?.status, ![.success, .pending].contains(status.category) {
            return (status.code, status.meaning.english)
        }
        if response.outer != .accepted { return (response.outer.code, response.outer.meaning.english) }
        return nil
    }

    static func report(_ answer: TerminalAnswer, json: Bool, io: CommandIO, journal: JournalNotes = JournalNotes()) -> ExitCode {
        let (state, code) = verdict(answer)
        let record = answer.record
        let refused = answer.request.operation == .inquiry ? nil : refusal(answer)
        let message: String
        if let refused {
            message = "the terminal did not \(action(answer.request)): \(refused.meaning) (\(refused.code))"
        } else if answer.request.operation == .inquiry || answer.failure != nil || answer.response?.outer != .accepted {
            message = answer.failure?.message ?? answer.response?.meaning() ?? "no answer"
        } else {
            message = doneMessage(answer.request)
        }
        if json {
            func text(_ v: String?) -> JSONValue { v.map(JSONValue.string) ?? .null }
            var object = JSONObject([
                ("state", .string(state)),
                ("out_trade_no", text(record?.outTradeNo)),
                ("syssn", text(record?.syssn)),
                ("amount", text(record?.amount?.display)),
                ("channel", text(record?.channel?.wireName)),
                ("respcd", text(refused?.code ?? record?.status?.code ?? answer.response?.outer.code)),
                ("message", .string(message)),
            ])
            if let refundable = record?.refundableAmount { object["allow_refund_amt"] = .string(refundable.display) }
            if let cancel = record?.cancelState { object["cancel"] = .number(String(cancel.rawValue)) }
            if let type = record?.tradeType { object["tradetp"] = .string(type) }
            TransactionOutput.add(RefundStanding(record), to: &object)
            journal.add(to: &object)
            io.out(JSONValue.object(object).serialized())
        } else {
            var lines = [message == state ? state : "\(state)  \(message)"]
            if let record, answer.request.operation == .inquiry {
                var facts: [String] = []
                if let v = record.outTradeNo { facts.append("out_trade_no \(v)") }
                if let v = record.syssn { facts.append("syssn \(v)") }
                if let v = record.amount { facts.append("amount \(v.display)") }
                if let v = record.channel { facts.append(v.wireName) }
                if let v = record.refundableAmount { facts.append("refundable \(v.display)") }
                if let standing = RefundStanding(record) {
                    facts.append(standing.description)
                } else if let v = record.cancelState, v != .none {
                    facts.append(v.meaning)
                }
                if let v = record.cardScheme { facts.append(v) }
                if !facts.isEmpty { lines.append("  " + facts.joined(separator: "  ")) }
            }
            lines.forEach(io.out)
        }
        journal.tell(io)
        return journal.exitCode(code)
    }

    static func action(_ request: ECRRequest) -> String {
        switch request {
        case .printReceipt(let id): return "print the receipt of \(id)"
        case .printSummary: return "print the day's summary"
        case .cancelRequest: return "take the cancel request"
        default: return "do it"
        }
    }

    static func doneMessage(_ request: ECRRequest) -> String {
        switch request {
        case .printReceipt(let id): return "the terminal is printing the receipt of \(id)"
        case .printSummary: return "the terminal is printing the day's summary"
        case .cancelRequest: return "the terminal accepted the cancel request"
        default: return "done"
        }
    }
}
