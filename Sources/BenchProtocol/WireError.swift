import BenchJSON
/// Why a frame or message could not be read or written.
///
/// Every failure of the frame and message codecs is one of these cases, so a session can log a precise reason and
/// answer with `reject`/`bye` before closing. Descriptions name the message type and the field that failed, never
/// payload contents.
public enum WireError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A frame header declared a body longer than the configured maximum; nothing of the body was buffered.
    case frameTooLarge(declared: Int, max: Int)
    /// A frame header declared a body of zero bytes (a frame must hold one JSON object).
    case emptyFrame
    /// The connection ended in the middle of a frame; `bufferedBytes` were received but not decoded.
    case truncatedFrame(bufferedBytes: Int)
    /// An outbound message encoded to more than the configured maximum and was not sent.
    case outboundFrameTooLarge(type: String, length: Int, max: Int)
    /// An outbound message could not be encoded as JSON (for example a non-finite number in a ``JSONValue``).
    case unencodable(type: String, reason: String)
    /// The frame body is not a UTF-8 JSON object.
    case invalidJSON(reason: String)
    /// The JSON object has no `"type"` string member.
    case missingType
    /// The `"type"` member names no message of this protocol version.
    case unknownType(String)
    /// A required field of a message is absent. `field` is a path such as `running[0].task_id`.
    case missingField(type: String, field: String)
    /// A field of a message is present but has the wrong JSON type or an out-of-range value.
    case invalidField(type: String, field: String, reason: String)
    /// `hello` or `welcome` announced a protocol version this build does not speak.
    case unsupportedProtocolVersion(received: Int, supported: Int)

    public var description: String {
        switch self {
        case .frameTooLarge(let declared, let max):
            return "frame header declares \(declared) bytes, more than the maximum of \(max)"
        case .emptyFrame:
            return "frame header declares an empty body"
        case .truncatedFrame(let bufferedBytes):
            return "connection ended inside a frame (\(bufferedBytes) bytes buffered)"
        case .outboundFrameTooLarge(let type, let length, let max):
            return "outbound '\(type)' message is \(length) bytes, more than the maximum of \(max); not sent"
        case .unencodable(let type, let reason):
            return "outbound '\(type)' message cannot be encoded: \(reason)"
        case .invalidJSON(let reason):
            return "frame is not a JSON object: \(reason)"
        case .missingType:
            return "message has no string \"type\" field"
        case .unknownType(let type):
            return "unknown message type '\(type.prefix(64))'"
        case .missingField(let type, let field):
            return "'\(type)' message is missing required field '\(field)'"
        case .invalidField(let type, let field, let reason):
            return "'\(type)' message has an invalid '\(field)': \(reason)"
        case .unsupportedProtocolVersion(let received, let supported):
            return "peer speaks protocol version \(received), this build speaks \(supported)"
        }
    }
}
