import Foundation
import Logging

/// One log event as one line of JSON:
///
///     {"agent":"agent-1","attempt":1,"collection":"c-…","job":"baseline-1-1-US","label":"mmmbench.coordinator",
///      "level":"info","message":"result baseline-1-1-US#1 from agent-1: ok 812 ms [1/18]",
///      "timestamp":"2026-12-06T10:00:00.123Z"}
///
/// `timestamp` (ISO 8601, UTC, milliseconds), `level`, `label` and `message` are always present; every metadata key
/// becomes a key of its own (``Keys`` names the ones mmmbench sets). A metadata value that is an integer, a
/// floating-point number or a boolean (`.stringConvertible`) is written as a JSON number or boolean, arrays and
/// dictionaries as JSON arrays and objects, everything else as a string. A metadata key that would hide one of the
/// four fixed keys is written as `metadata.KEY`. Keys are sorted, so equal events give equal lines.
public enum JSONLogLine {
    /// The metadata keys that coordinator and agent attach to events about a collection, a job and an attempt.
    public enum Keys {
        /// The collection id.
        public static let collection = "collection"
        /// The job id (`baseline-{day}-{config}-{country}`).
        public static let job = "job"
        /// The attempt number (1, 2, ...).
        public static let attempt = "attempt"
        /// The agent's name.
        public static let agent = "agent"
    }

    static let fixedKeys: Set<String> = ["timestamp", "level", "label", "message"]

    /// The JSON object of one event, without the trailing newline.
    public static func render(
        timestamp: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata
    ) -> String {
        var object: [String: Any] = [
            "timestamp": Self.timestamp(timestamp), "level": level.rawValue, "label": label, "message": message,
        ]
        for (key, value) in metadata {
            object[fixedKeys.contains(key) ? "metadata." + key : key] = jsonValue(value)
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys,
                                                                                         .withoutEscapingSlashes])
        else {
            // Unreachable with the values built above (strings, numbers, booleans, arrays and objects of them).
            return #"{"level":"error","message":"log line could not be encoded as JSON"}"#
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// `2026-12-06T10:00:00.123Z`.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func jsonValue(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case .string(let text):
            return text
        case .stringConvertible(let convertible):
            switch convertible {
            case let number as Int: return number
            case let number as Int64: return number
            case let number as UInt64: return number
            case let number as Double where number.isFinite: return number
            case let flag as Bool: return flag
            default: return convertible.description
            }
        case .array(let values):
            return values.map(jsonValue)
        case .dictionary(let values):
            return values.mapValues(jsonValue)
        }
    }
}
