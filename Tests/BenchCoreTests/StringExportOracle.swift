import BenchCore
import Foundation

/// The exports as `MetricsExport` wrote them before they were written as bytes (one `String` per value, joined):
/// kept as the oracle the byte writer is compared with, byte for byte. Not used by the product.
enum StringExportOracle {
    static let seedKeys = MetricsExport.seedKeys
    static let csvColumns = MetricsExport.csvColumns

    /// `json.dump(data, f, indent=2)` of the seed.
    static func seedJSON(_ metrics: [BaselineMetric]) -> String {
        var out = ""
        writeSeedJSON(metrics, chunkBytes: .max) { out += $0 }
        return out
    }

    /// ``seedJSON(_:)`` handed to `write` in pieces of about `chunkBytes` UTF-8 bytes, in order (their
    /// concatenation is ``seedJSON(_:)``), so a report of 10^6 rows never holds the whole text.
    static func writeSeedJSON<E: Error>(
        _ metrics: [BaselineMetric], chunkBytes: Int = 1 << 20, to write: (String) throws(E) -> Void
    ) throws(E) {
        if metrics.isEmpty { return try write("[]") }
        // An A/B collection's rows also carry `target` (pandas reads it as one more column; one-target output is
        // exactly the seed's).
        let withTarget = metrics.contains { $0.target != nil }
        let keys = seedKeys + (withTarget ? ["target"] : [])
        // Each key's line start, made once: `    "key": `.
        let prefixes = keys.map { "    \(jsonString($0)): " }
        var out = "[\n"
        for (index, metric) in metrics.enumerated() {
            var values = seedValues(metric)
            if withTarget { values.append(metric.target.map(jsonString) ?? "null") }
            out += "  {\n"
            for keyIndex in keys.indices {
                out += prefixes[keyIndex]
                out += values[keyIndex]
                out += keyIndex == keys.count - 1 ? "\n" : ",\n"
            }
            out += index == metrics.count - 1 ? "  }\n" : "  },\n"
            if out.utf8.count >= chunkBytes {
                try write(out)
                out = ""
            }
        }
        try write(out + "]")
    }

    /// CSV (RFC 4180) of every field.
    static func csv(_ metrics: [BaselineMetric]) -> String {
        var out = ""
        writeCSV(metrics, chunkBytes: .max) { out += $0 }
        return out
    }

    /// ``csv(_:)`` handed to `write` in pieces of about `chunkBytes` UTF-8 bytes, in order.
    static func writeCSV<E: Error>(
        _ metrics: [BaselineMetric], chunkBytes: Int = 1 << 20, to write: (String) throws(E) -> Void
    ) throws(E) {
        var out = csvColumns.joined(separator: ",") + "\n"
        for metric in metrics {
            let figures = metric.trainerFigures.keys.sorted()
                .map { "\($0)=\(pythonFloat(metric.trainerFigures[$0] ?? 0))" }.joined(separator: ";")
            let cells: [String] = [
                isoTimestamp(metric.timestamp), metric.jobID, metric.jobType, "\(metric.iterations)",
                "\(metric.trials)", metric.country, pythonFloat(metric.durationMinutes), pythonFloat(metric.cpuHours),
                pythonFloat(metric.memoryGBHours), pythonFloat(metric.costEstimate), metric.success ? "True" : "False",
                metric.errorMessage ?? "", "\(metric.attempt)", metric.agent, metric.httpStatus.map { "\($0)" } ?? "",
                pythonFloat(metric.durationMs), metric.overheadMs.map(pythonFloat) ?? "", figures,
                metric.target ?? "",
            ]
            out += cells.map(csvCell).joined(separator: ",") + "\n"
            if out.utf8.count >= chunkBytes {
                try write(out)
                out = ""
            }
        }
        try write(out)
    }

    static func seedValues(_ metric: BaselineMetric) -> [String] {
        [
            jsonString(isoTimestamp(metric.timestamp)), jsonString(metric.jobID), jsonString(metric.jobType),
            "\(metric.iterations)", "\(metric.trials)", jsonString(metric.country),
            pythonFloat(metric.durationMinutes), pythonFloat(metric.cpuHours), pythonFloat(metric.memoryGBHours),
            pythonFloat(metric.costEstimate), metric.success ? "true" : "false",
            metric.errorMessage.map(jsonString) ?? "null",
        ]
    }

    /// Python's `datetime.isoformat()` of an aware UTC datetime: `2026-11-29T04:28:50.123456+00:00`.
    static func isoTimestamp(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        let micros = Int(((seconds - whole) * 1_000_000).rounded())
        // Civil date of the whole second in the proleptic Gregorian calendar (UTC): integer arithmetic, no Calendar
        // (a report writes one timestamp per row and per format).
        let total = Int(whole)
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let secondOfDay = total - days * 86_400
        let civil = civilDate(daysSince1970: days)
        var out = pad(civil.year, 4) + "-" + pad(civil.month, 2) + "-" + pad(civil.day, 2) + "T"
        out += pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        return micros == 0 || micros == 1_000_000 ? out + "+00:00" : out + "." + pad(micros, 6) + "+00:00"
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

    /// `%0*d`: `value` in decimal, zero-padded on the left to `width` digits (a minus sign first when negative).
    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let padded = digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        return value < 0 ? "-" + padded : padded
    }

    /// A float as Python's `json.dump` writes it (`repr`): always with a decimal point or exponent.
    static func pythonFloat(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "Infinity" : "-Infinity") }
        let text = "\(value)"
        if text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") }) { return text }
        return text + ".0"
    }

    static func jsonString(_ text: String) -> String {
        // Most strings (ids, types, countries, agents) are printable ASCII without quote or backslash: as they are.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) {
            return "\"" + text + "\""
        }
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

    static func csvCell(_ text: String) -> String {
        // Fast path on bytes; the Character test below decides for the rare cell with one of these bytes.
        let special: (UInt8) -> Bool = { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        guard text.utf8.contains(where: special) else { return text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
