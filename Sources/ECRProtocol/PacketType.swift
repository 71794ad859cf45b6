/// The type byte of a serial/TCP packet (PROTOCOL.md §6, seed §10.4).
public enum PacketType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case request = 0x10
    case ack = 0x20
    case unknownError = 0x30
    case formatError = 0x31
    case validationError = 0x32
    case decryptionError = 0x33
    case dataFormatError = 0x34
    case reassemblyError = 0x35

    /// The error types a receiver may answer a request packet with instead of an ack.
    public var isError: Bool { rawValue >= 0x30 }

    /// What the packet means, phrased for the person at the till or the technician.
    public var meaning: String {
        switch self {
        case .request:
            return "request: carries a message (or one part of a split message); the receiver must acknowledge it"
        case .ack:
            return "acknowledgement: the peer received the request packet with this ref"
        case .unknownError:
            return "unknown error: the peer rejected the packet without saying why; retry, and if it repeats read the terminal's ECR app log"
        case .formatError:
            return "format error: the peer could not frame the packet (markers, version or length fields); check the line settings (9600 baud, 8N1, no flow control) and the cable"
        case .validationError:
            return "validation error: the peer's check of the packet failed; check that the POS-KEY configured here is the terminal's"
        case .decryptionError:
            return "decryption error: the peer could not decrypt the data; check the POS-KEY and that encryption is set the same way on both sides"
        case .dataFormatError:
            return "data format error: the data is not the message format the peer expects; check the encryption setting and the request fields"
        case .reassemblyError:
            return "reassembly error: a message split over several packets arrived incomplete or a part came more than 500 ms late; retry, and if it repeats check the line for dropped bytes"
        }
    }

    public var description: String {
        "0x" + String(rawValue, radix: 16, uppercase: true) + " (" + meaning + ")"
    }
}
