import BenchJSON
/// Constants of the mmmbench coordinator–agent protocol (`docs/protocol.md` is normative).
public enum WireProtocol {
    /// The protocol version this build speaks. `hello` and `welcome` carry it; a peer announcing another
    /// version is answered with `reject` (code ``RejectCode/versionMismatch``) and the connection is closed.
    public static let version = 1

    /// Size of the big-endian length prefix in front of every frame, in bytes.
    public static let lengthPrefixSize = 4

    /// Default upper bound of a frame body (the JSON text, not counting the prefix): 1 MiB.
    public static let defaultMaxFrameLength = 1 << 20

    /// The largest frame limit that can be configured: what the 4-byte length prefix can express.
    public static let largestConfigurableFrameLength = Int(UInt32.max)
}
