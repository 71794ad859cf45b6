import ECRProtocol

/// A terminal's own words (`respmsg`, `resperr`, any string in `data`) are untrusted: a terminal, a
/// proxy or a cloud could put escape sequences in them that repaint or retitle the cashier's screen,
/// or echo a key. `clean` keeps the printable text and drops the rest.
public enum TerminalText {
    /// Drops C0 and C1 controls, DEL, escape sequences (CSI, OSC, DCS and the rest, with their
    /// parameters) and bidirectional overrides; tabs and line breaks become spaces.
    public static func clean(_ text: String) -> String {
        // Printable ASCII, the usual answer, has nothing to drop (its bytes read in place).
        var text = text
        if text.withUTF8({ $0.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }) { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let value = scalars[index].value
            switch value {
            case 0x1B, 0x90, 0x98, 0x9B, 0x9D, 0x9E, 0x9F:
                index = endOfSequence(scalars, at: index)
            case 0x09, 0x0A, 0x0D:
                out.append(" ")
                index += 1
            case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069:
                index += 1
            default:
                out.append(scalars[index])
                index += 1
            }
        }
        return String(out)
    }

    /// Where the escape sequence starting at `start` ends (one past its last scalar).
    private static func endOfSequence(_ s: [Unicode.Scalar], at start: Int) -> Int {
        var i = start + 1
        var kind = s[start].value
        if kind == 0x1B {
            guard i < s.count else { return i }
            // ESC [ is CSI, ESC ] OSC, ESC P DCS, ESC X / ^ / _ string controls.
            switch s[i].value {
            case 0x5B: kind = 0x9B
            case 0x5D: kind = 0x9D
            case 0x50: kind = 0x90
            case 0x58, 0x5E, 0x5F: kind = 0x98
            default:
                // ESC, intermediates, one final character.
                while i < s.count, (0x20...0x2F).contains(s[i].value) { i += 1 }
                return min(i + 1, s.count)
            }
            i += 1
        }
        if kind == 0x9B {
            while i < s.count, (0x20...0x3F).contains(s[i].value) { i += 1 }
            return min(i + 1, s.count)
        }
        // A string control runs to BEL, ST (ESC \ or 0x9C), or the end of the text.
        while i < s.count {
            let v = s[i].value
            if v == 0x07 || v == 0x9C { return i + 1 }
            if v == 0x1B { return i + 1 < s.count && s[i + 1].value == 0x5C ? i + 2 : i + 1 }
            i += 1
        }
        return i
    }
}

extension SecretMasker {
    /// Terminal text fit to show, print or journal: cleaned, then with every secret masked.
    public func clean(_ text: String) -> String {
        mask(TerminalText.clean(text))
    }

    /// Every string in the answer (and every key) cleaned and masked; codes and numbers stay as they are.
    public func clean(_ response: ECRResponse) -> ECRResponse {
        ECRResponse(outer: OuterStatus(code: clean(response.outer.code)), respmsg: clean(response.respmsg),
                    resperr: clean(response.resperr), data: response.data.map { TransactionRecord(fields: clean($0.fields)) },
                    raw: clean(response.raw), wasEncrypted: response.wasEncrypted)
    }

    public func clean(_ failure: TransportFailure) -> TransportFailure {
        failure.withMessage(clean(failure.message))
    }

    public func clean(_ object: JSONObject) -> JSONObject {
        // The usual answer has nothing to clean: looked through in place and kept as it is.
        guard object.members.contains(where: { needsCleaning($0.key) || needsCleaning($0.value) }) else { return object }
        return JSONObject(object.members.map { (clean($0.key), clean($0.value)) })
    }

    /// Whether `clean` would change the text: anything but printable ASCII, or a secret.
    private func needsCleaning(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in !bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F } || containsSecret(bytes) }
    }

    private func needsCleaning(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let text): return needsCleaning(text)
        case .array(let items): return items.contains(where: needsCleaning)
        case .object(let object): return object.members.contains { needsCleaning($0.key) || needsCleaning($0.value) }
        case .number, .bool, .null: return false
        }
    }

    private func clean(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): return .string(clean(text))
        case .array(let items): return .array(items.map(clean))
        case .object(let object): return .object(clean(object))
        case .number, .bool, .null: return value
        }
    }
}

/// The transport every command and the engine talk through: the terminal's answers and failure
/// messages come out of it cleaned and with the profile's secrets masked, so nothing downstream
/// (screen, `--json`, journal, log) ever holds raw terminal text.
public final class SanitisingTransport: ClosingTransport, Sendable {
    public let inner: any Transport
    private let masker: SecretMasker

    public init(_ inner: any Transport, masker: SecretMasker) {
        self.inner = inner
        self.masker = masker
    }

    public var endpointDescription: String { inner.endpointDescription }

    public func perform(_ request: ECRRequest) async throws(TransportFailure) -> ECRResponse {
        do {
            return masker.clean(try await inner.perform(request))
        } catch {
            throw masker.clean(error)
        }
    }

    public func close() {
        (inner as? any ClosingTransport)?.close()
    }
}

/// A transport that holds a device or connection open between requests (serial), to be closed when done.
public protocol ClosingTransport: Transport {
    func close()
}
