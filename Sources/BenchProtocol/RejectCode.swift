import BenchJSON
/// Why the coordinator refused an agent's `hello`.
///
/// An open set: the known codes are static members, and a code this build does not know still decodes (agents
/// treat any code they do not know like ``notAllowed``).
public struct RejectCode: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    /// The code as it appears on the wire.
    public var rawValue: String

    /// Wraps a code.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The agent's certificate identity is not on the coordinator's allow-list.
    public static let notAllowed = RejectCode(rawValue: "not_allowed")
    /// The agent speaks another protocol version.
    public static let versionMismatch = RejectCode(rawValue: "version_mismatch")
    /// The first frame was not a valid `hello`.
    public static let badHello = RejectCode(rawValue: "bad_hello")
    /// Another connection with the same authenticated identity is already active.
    public static let duplicateAgent = RejectCode(rawValue: "duplicate_agent")
    /// The coordinator is shutting down and accepts no sessions.
    public static let shuttingDown = RejectCode(rawValue: "shutting_down")

    /// The code a coordinator answers with when the first frame failed to decode as a `hello` with `error`:
    /// ``versionMismatch`` for an unsupported protocol version, ``badHello`` for anything else.
    public static func forUndecodableHello(_ error: WireError) -> RejectCode {
        if case .unsupportedProtocolVersion = error { return .versionMismatch }
        return .badHello
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.rawValue = try container.decode(String.self)
        if rawValue.isEmpty {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "must not be empty")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
}
