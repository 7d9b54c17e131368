import Foundation

/// A wall-clock instant as an RFC 3339 / ISO-8601 string (`2025-03-01T12:00:00.250Z`).
///
/// The text is kept exactly as received, so a timestamp round-trips byte for byte; decoding checks that it parses.
/// Offsets other than `Z` and any number of fractional digits are accepted.
public struct WireTimestamp: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The timestamp text.
    public let rawValue: String

    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Formats `date` in UTC with millisecond precision.
    public init(_ date: Date) {
        self.rawValue = date.formatted(Self.fractional)
    }

    /// Wraps a timestamp text, or returns `nil` if it is not an ISO-8601 date-time.
    public init?(rawValue: String) {
        guard Self.parse(rawValue) != nil else { return nil }
        self.rawValue = rawValue
    }

    /// The instant, or `nil` if the text does not parse (never the case for decoded values).
    public var date: Date? { Self.parse(rawValue) }

    /// The current time.
    public static func now() -> WireTimestamp { WireTimestamp(Date()) }

    private static func parse(_ text: String) -> Date? {
        try? fractional.parse(text)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard Self.parse(text) != nil else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "not an ISO-8601 date-time such as 2025-03-01T12:00:00Z"
            )
        }
        self.rawValue = text
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
}
