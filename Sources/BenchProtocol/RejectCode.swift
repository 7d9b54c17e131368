import BenchJSON
/// Why the coordinator refused an agent's `hello`.
///
/// An open set: the known codes are static members, and a code this build does not know is still read (agents
/// treat any code they do not know like ``notAllowed``).
public struct RejectCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
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

    public var description: String { rawValue }
}
