import ArgumentParsing
import ECREngine
import ECRProtocol
import ECRTransport

/// `qfecr pay AMOUNT --channel CH` and `qfecr refund SYSSN [--amount A]`: journaled, resolved by
/// inquiry when the outcome is unknown, never sent twice.
enum PayCommand {
    static func run(_ parsed: ParsedArguments, io: CommandIO) throws -> ExitCode {
        let json = parsed.flag("json")
        // Everything the cashier typed is checked before any I/O.
        let amount: Amount
        do { amount = try Amount.parse(try parsed.requiredPositional("AMOUNT"), maximum: Amount(cents: Int64.max / 4)) } catch let error as AmountError {
            throw CommandFailure.usage(error.description)
        }
        let channel: Channel
        do { channel = try Channel.parse(try parsed.requiredOption("channel")) } catch let error as ChannelError {
            throw CommandFailure.usage(error.description)
        }
        var options = PaymentOptions()
        options.outTradeNo = parsed.option("out-trade-no")
        if let text = parsed.option("payment-timeout") {
            // The same range as payment_timeout in the configuration.
            guard let seconds = Int(text), (1...3600).contains(seconds) else {
                throw CommandFailure.usage("--payment-timeout must be a whole number of seconds from 1 to 3600, not '\(text)'")
            }
            options.paymentTimeout = seconds
        }
        // The request as typed (the engine makes the out_trade_no when none is given), checked before any I/O.
        let typed = PaymentRequest(amount: amount, channel: channel, outTradeNo: options.outTradeNo ?? "checked-later",
                                   paymentTimeout: options.paymentTimeout)
        do { try ECRRequest.payment(typed).validate() } catch { throw CommandFailure.usage(error.description) }
        let session = try TerminalSession(parsed, io: io, needsEngine: true, receivesNotifications: true)
        let profile = session.profile
        guard amount <= profile.maxAmount else {
            throw CommandFailure.usage(AmountError.aboveMaximum(text: amount.display, maximum: profile.maxAmount).description)
        }
        guard profile.model.channels.contains(channel) else {
            throw CommandFailure.usage("a PAX A920 takes QR channels only (\(profile.model.channels.map(\.wireName).joined(separator: ", "))), not \(channel.wireName)")
        }
        guard let engine = session.engine else { throw CommandFailure.configuration("the journal is not available") }
        let paymentOptions = options
        let chargeAgain = parsed.flag("charge-again")
        if !json {
            session.onTradeSent { request in
                guard case .payment(let sent) = request else { return }
                TerminalSession.say("qfecr: \(sent.outTradeNo): \(sent.amount.display) \(sent.channel.name.english) sent to \(profile.endpointDescription)", io: io)
            }
        }
        return try runBlocking {
            guard let resumed = await session.resumePending() else { return TransactionOutput.stoppedWhileResuming(json: json, io: io) }
            switch RetriedSaleRule.verdict(resumed: resumed, amount: amount, channel: channel, chargeAgain: chargeAgain) {
            case .alreadyPaid(let sale):
                io.err("qfecr: \(sale.outTradeNo) (\(amount.display) \(channel.wireName)) from an earlier run was approved: that is this "
                    + "sale's result and no new sale was started; to charge the customer again, run the same command with --charge-again")
                let notes = await session.journalNotes(for: sale.outTradeNo)
                if json {
                    var object = sale.report
                    object["resumed"] = .bool(true)
                    notes.add(to: &object)
                    io.out(JSONValue.object(object).serialized())
                    notes.tell(io)
                    return notes.exitCode(TransactionOutput.exitCode(for: sale))
                }
                return TransactionOutput.print(sale, json: false, io: io, journal: notes)
            case .chargeAgain(let sale):
                io.err("qfecr: \(sale.outTradeNo) of the same \(amount.display) \(channel.wireName) was approved in an earlier run; "
                    + "charging again as asked (--charge-again)")
            case .newSaleAfterOthers(let others):
                for sale in others {
                    io.err("qfecr: note: \(sale.outTradeNo) (\(sale.amount.display) \(sale.channel?.wireName ?? "")) from an earlier run was "
                        + "approved; it is not this sale (\(amount.display) \(channel.wireName)), which goes ahead")
                }
            case .newSale:
                break
            }
            let started: PaymentAttempt
            do {
                started = try await engine.beginPayment(amount: amount, channel: channel, options: paymentOptions)
            } catch let error as EngineRefusal {
                return TransactionOutput.printRefusal(error.description, code: TransactionOutput.exitCode(for: error), json: json, io: io,
                                                      journal: await session.journalNotes())
            }
            await session.follow(started.outTradeNo)
            let final = await engine.attempt(started.outTradeNo) ?? started
            return TransactionOutput.print(final, json: json, io: io, journal: await session.journalNotes(for: final.outTradeNo))
        }
    }
}

enum RefundCommand {
    static func run(_ parsed: ParsedArguments, io: CommandIO) throws -> ExitCode {
        let json = parsed.flag("json")
        let syssn = try parsed.requiredPositional("SYSSN")
        var amount: Amount?
        if let text = parsed.option("amount") {
            do { amount = try Amount.parse(text, maximum: Amount(cents: Int64.max / 4)) } catch AmountError.zero {
                throw CommandFailure.usage("--amount is zero: a refund needs at least 0.01 (leave --amount out to refund all that is refundable)")
            } catch {
                throw CommandFailure.usage(error.description)
            }
        }
        do { try ECRRequest.refund(RefundRequest(orderId: syssn, refundAmount: amount)).validate() } catch {
            throw CommandFailure.usage(error.description)
        }
        let session = try TerminalSession(parsed, io: io, needsEngine: true, receivesNotifications: true)
        guard let engine = session.engine else { throw CommandFailure.configuration("the journal is not available") }
        let refundAmount = amount
        if !json {
            let endpoint = session.profile.endpointDescription
            session.onTradeSent { request in
                guard case .refund(let sent) = request else { return }
                let how = sent.refundAmount.map { " of \($0.display)" } ?? ""
                TerminalSession.say("qfecr: refund\(how) of sale \(sent.orderId) sent to \(endpoint)", io: io)
            }
        }
        return try runBlocking {
            guard await session.resumePending() != nil else { return TransactionOutput.stoppedWhileResuming(json: json, io: io) }
            let started: PaymentAttempt
            do {
                started = try await engine.beginRefund(syssn: syssn, amount: refundAmount)
            } catch let error as EngineRefusal {
                return TransactionOutput.printRefusal(error.description, code: TransactionOutput.exitCode(for: error), json: json, io: io,
                                                      journal: await session.journalNotes())
            }
            await session.follow(started.outTradeNo)
            let final = await engine.attempt(started.outTradeNo) ?? started
            return TransactionOutput.print(final, json: json, io: io, journal: await session.journalNotes(for: final.outTradeNo))
        }
    }
}
