import ArgumentParsing

/// Where secrets come from. Their values are never printed; messages name their source only.
enum Secrets {
    /// The POS-KEY from `--key` (when the command has it) or `QFECR_KEY`.
    static func posKey(parsed: ParsedArguments?, io: CommandIO, purpose: String) throws -> String {
        if let parsed, let key = parsed.option("key"), !key.isEmpty { return key }
        if let key = io.environment["QFECR_KEY"], !key.isEmpty { return key }
        throw CommandFailure.configuration("no POS-KEY to \(purpose): set QFECR_KEY (Merchant Portal → Settings → Devices Settings → POS Key Mgmt)")
    }
}
