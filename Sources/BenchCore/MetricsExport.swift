import Foundation

/// Writes measurements in the seed's `save_metrics` JSON format and as CSV.
///
/// The JSON is a list of objects with exactly the seed's `BaselineMetric` keys and types (ISO-8601 timestamps), so
/// the seed's own code (`BaselineMetric(**item)`, `pd.DataFrame(items)`) reads it unchanged. mmmbench's additional
/// fields (attempt, agent, HTTP status, exact duration, timing overhead, trainer figures) are in the CSV, which has
/// every field.
public enum MetricsExport {
    /// The seed's keys, in the seed's order.
    public static let seedKeys = [
        "timestamp", "job_id", "job_type", "iterations", "trials", "country", "duration_minutes", "cpu_hours",
        "memory_gb_hours", "cost_estimate", "success", "error_message",
    ]

    /// CSV columns: the seed's keys then mmmbench's (`target`: the A/B side, empty in a one-target collection).
    public static let csvColumns = seedKeys + ["attempt", "agent", "http_status", "duration_ms", "overhead_ms",
                                               "trainer_figures", "target"]

    /// `json.dump(data, f, indent=2)` of the seed.
    public static func seedJSON(_ metrics: [BaselineMetric]) -> String {
        var out: [UInt8] = []
        writeSeedJSON(metrics, chunkBytes: .max) { out += $0 }
        return String(decoding: out, as: UTF8.self)
    }

    /// ``seedJSON(_:)`` as UTF-8 bytes handed to `write` in pieces of about `chunkBytes` bytes, in order (their
    /// concatenation is ``seedJSON(_:)``), so a report of 10^6 rows never holds the whole text.
    public static func writeSeedJSON<E: Error>(
        _ metrics: [BaselineMetric], chunkBytes: Int = 1 << 20, to write: ([UInt8]) throws(E) -> Void
    ) throws(E) {
        var out = ExportBytes(capacity: min(chunkBytes, 1 << 16) + 4096)
        if metrics.isEmpty {
            out.append("[]")
            return try write(out.bytes)
        }
        // An A/B collection's rows also carry `target` (pandas reads it as one more column; one-target output is
        // exactly the seed's).
        let withTarget = metrics.contains { $0.target != nil }
        let keys = seedKeys + (withTarget ? ["target"] : [])
        // Each key's line start, made once: `    "key": `.
        let prefixes = keys.map { Array("    \(jsonString($0)): ".utf8) }
        out.append("[\n")
        for (index, metric) in metrics.enumerated() {
            out.append("  {\n")
            out.append(prefixes[0])
            out.append(byte: UInt8(ascii: "\""))
            out.append(isoTimestamp: metric.timestamp)
            out.append("\",\n")
            out.append(prefixes[1])
            out.append(jsonString: metric.jobID)
            out.append(",\n")
            out.append(prefixes[2])
            out.append(jsonString: metric.jobType)
            out.append(",\n")
            out.append(prefixes[3])
            out.append(integer: metric.iterations)
            out.append(",\n")
            out.append(prefixes[4])
            out.append(integer: metric.trials)
            out.append(",\n")
            out.append(prefixes[5])
            out.append(jsonString: metric.country)
            out.append(",\n")
            out.append(prefixes[6])
            out.append(pythonFloat: metric.durationMinutes)
            out.append(",\n")
            out.append(prefixes[7])
            out.append(pythonFloat: metric.cpuHours)
            out.append(",\n")
            out.append(prefixes[8])
            out.append(pythonFloat: metric.memoryGBHours)
            out.append(",\n")
            out.append(prefixes[9])
            out.append(pythonFloat: metric.costEstimate)
            out.append(",\n")
            out.append(prefixes[10])
            out.append(metric.success ? "true" : "false" as StaticString)
            out.append(",\n")
            out.append(prefixes[11])
            if let message = metric.errorMessage { out.append(jsonString: message) } else { out.append("null") }
            if withTarget {
                out.append(",\n")
                out.append(prefixes[12])
                if let target = metric.target { out.append(jsonString: target) } else { out.append("null") }
            }
            out.append(index == metrics.count - 1 ? "\n  }\n" : "\n  },\n" as StaticString)
            if out.bytes.count >= chunkBytes {
                try write(out.bytes)
                out.bytes.removeAll(keepingCapacity: true)
            }
        }
        out.append("]")
        try write(out.bytes)
    }

    /// CSV (RFC 4180) of every field.
    public static func csv(_ metrics: [BaselineMetric]) -> String {
        var out: [UInt8] = []
        writeCSV(metrics, chunkBytes: .max) { out += $0 }
        return String(decoding: out, as: UTF8.self)
    }

    /// ``csv(_:)`` as UTF-8 bytes handed to `write` in pieces of about `chunkBytes` bytes, in order.
    public static func writeCSV<E: Error>(
        _ metrics: [BaselineMetric], chunkBytes: Int = 1 << 20, to write: ([UInt8]) throws(E) -> Void
    ) throws(E) {
        var out = ExportBytes(capacity: min(chunkBytes, 1 << 16) + 4096)
        out.append(csvColumns.joined(separator: ",") + "\n")
        let comma = UInt8(ascii: ",")
        for metric in metrics {
            out.append(isoTimestamp: metric.timestamp)
            out.append(byte: comma)
            out.append(csvCell: metric.jobID)
            out.append(byte: comma)
            out.append(csvCell: metric.jobType)
            out.append(byte: comma)
            out.append(integer: metric.iterations)
            out.append(byte: comma)
            out.append(integer: metric.trials)
            out.append(byte: comma)
            out.append(csvCell: metric.country)
            out.append(byte: comma)
            out.append(pythonFloat: metric.durationMinutes)
            out.append(byte: comma)
            out.append(pythonFloat: metric.cpuHours)
            out.append(byte: comma)
            out.append(pythonFloat: metric.memoryGBHours)
            out.append(byte: comma)
            out.append(pythonFloat: metric.costEstimate)
            out.append(byte: comma)
            out.append(metric.success ? "True" : "False" as StaticString)
            out.append(byte: comma)
            if let message = metric.errorMessage { out.append(csvCell: message) }
            out.append(byte: comma)
            out.append(integer: metric.attempt)
            out.append(byte: comma)
            out.append(csvCell: metric.agent)
            out.append(byte: comma)
            if let status = metric.httpStatus { out.append(integer: status) }
            out.append(byte: comma)
            out.append(pythonFloat: metric.durationMs)
            out.append(byte: comma)
            if let overhead = metric.overheadMs { out.append(pythonFloat: overhead) }
            out.append(byte: comma)
            if !metric.trainerFigures.isEmpty { out.append(csvCell: trainerFiguresCell(metric.trainerFigures)) }
            out.append(byte: comma)
            if let target = metric.target { out.append(csvCell: target) }
            out.append(byte: UInt8(ascii: "\n"))
            if out.bytes.count >= chunkBytes {
                try write(out.bytes)
                out.bytes.removeAll(keepingCapacity: true)
            }
        }
        try write(out.bytes)
    }

    /// The CSV's `trainer_figures` cell: `name=value` by name, `;`-separated.
    static func trainerFiguresCell(_ figures: [String: Double]) -> String {
        figures.keys.sorted().map { "\($0)=\(pythonFloat(figures[$0] ?? 0))" }.joined(separator: ";")
    }

    /// Python's `datetime.isoformat()` of an aware UTC datetime: `2026-11-29T04:28:50.123456+00:00`.
    public static func isoTimestamp(_ date: Date) -> String {
        var out = ExportBytes(capacity: 32)
        out.append(isoTimestamp: date)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// Year, month and day of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civilDate(daysSince1970: Int) -> (year: Int, month: Int, day: Int) {
        let z = daysSince1970 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// A float as Python's `json.dump` writes it (`repr`): always with a decimal point or exponent.
    public static func pythonFloat(_ value: Double) -> String {
        var out = ExportBytes(capacity: 32)
        out.append(pythonFloat: value)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// `text` as Python's `json.dump` writes it (`ensure_ascii`). The common plain-ASCII case never gets here:
    /// ``ExportBytes/append(jsonString:)`` copies such text as it is.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value >= 0x7F:
                // Python's json.dump uses ensure_ascii=True.
                if scalar.value > 0xFFFF {
                    let v = scalar.value - 0x10000
                    out += String(format: "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF))
                } else {
                    out += String(format: "\\u%04x", scalar.value)
                }
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A CSV cell, quoted when it holds a comma, quote or line break. ``ExportBytes/append(csvCell:)`` calls it only
    /// for text with one of those bytes; the Character test here decides (a `\r\n` pair is one Character).
    static func csvCell(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
