import BenchJSON
import Foundation

/// A wall-clock instant as an RFC 3339 / ISO-8601 string (`2025-03-01T12:00:00.250Z`).
///
/// The text is kept exactly as received, so a timestamp round-trips byte for byte; reading checks that it parses.
/// Offsets other than `Z` and any number of fractional digits are accepted.
public struct WireTimestamp: Sendable, Hashable, CustomStringConvertible {
    /// The timestamp text.
    public let rawValue: String

    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Formats `date` in UTC with millisecond precision.
    public init(_ date: Date) {
        self.rawValue = date.formatted(Self.fractional)
    }

    /// Wraps a timestamp text, or returns `nil` if it is not an ISO-8601 date-time.
    public init?(rawValue: String) {
        guard Self.isValid(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// The instant, or `nil` if the text does not parse (never the case for decoded values).
    public var date: Date? { Self.parse(rawValue) }

    /// The current time.
    public static func now() -> WireTimestamp { WireTimestamp(Date()) }

    private static func parse(_ text: String) -> Date? {
        try? fractional.parse(text)
    }

    /// Whether `text` parses. The form agents send (`2025-03-01T12:00:00.250Z`: UTC, any number of fractional
    /// digits up to 9 or none) is checked by hand, a few times faster than the format style; everything else is
    /// left to the format style.
    static func isValid(_ text: String) -> Bool {
        isPlainUTC(text) || parse(text) != nil
    }

    /// `YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z` with a real calendar date (proleptic Gregorian, year 1000 or later) and a
    /// time of day without leap seconds: a subset of what the format style accepts (a test checks both ways).
    static func isPlainUTC(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= 20, bytes.count <= 30, bytes[bytes.count - 1] == UInt8(ascii: "Z"),
                bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
                bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
                let year = number(bytes, 0, 4), let month = number(bytes, 5, 2), let day = number(bytes, 8, 2),
                let hour = number(bytes, 11, 2), let minute = number(bytes, 14, 2), let second = number(bytes, 17, 2),
                year >= 1000, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
                hour <= 23, minute <= 59, second <= 59
            else { return false }
            if bytes.count == 20 { return true }
            // A fraction: "." and 1 to 9 digits before the "Z".
            return bytes[19] == UInt8(ascii: ".") && bytes.count >= 22 && number(bytes, 20, bytes.count - 21) != nil
        }
    }

    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for byte in bytes[start..<(start + count)] {
            guard byte &- UInt8(ascii: "0") < 10 else { return nil }
            value = value * 10 + Int(byte &- UInt8(ascii: "0"))
        }
        return value
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public var description: String { rawValue }
}
