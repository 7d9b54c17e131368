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
        if metrics.isEmpty { return "[]" }
        // An A/B collection's rows also carry `target` (pandas reads it as one more column; one-target output is
        // exactly the seed's).
        let withTarget = metrics.contains { $0.target != nil }
        let keys = seedKeys + (withTarget ? ["target"] : [])
        var out = "[\n"
        for (index, metric) in metrics.enumerated() {
            var values = seedValues(metric)
            if withTarget { values.append(metric.target.map(jsonString) ?? "null") }
            out += "  {\n"
            for (keyIndex, key) in keys.enumerated() {
                out += "    \(jsonString(key)): \(values[keyIndex])"
                out += keyIndex == keys.count - 1 ? "\n" : ",\n"
            }
            out += index == metrics.count - 1 ? "  }\n" : "  },\n"
        }
        return out + "]"
    }

    /// CSV (RFC 4180) of every field.
    public static func csv(_ metrics: [BaselineMetric]) -> String {
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
        }
        return out
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
    public static func isoTimestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let seconds = date.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        let micros = Int(((seconds - whole) * 1_000_000).rounded())
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                        from: Date(timeIntervalSince1970: whole))
        let base = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", p.year ?? 0, p.month ?? 0, p.day ?? 0,
                          p.hour ?? 0, p.minute ?? 0, p.second ?? 0)
        return micros == 0 || micros == 1_000_000 ? base + "+00:00" : base + String(format: ".%06d+00:00", micros)
    }

    /// A float as Python's `json.dump` writes it (`repr`): always with a decimal point or exponent.
    public static func pythonFloat(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "Infinity" : "-Infinity") }
        let text = "\(value)"
        if text.contains(".") || text.contains("e") { return text.replacingOccurrences(of: "e+", with: "e+") }
        return text + ".0"
    }

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

    static func csvCell(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
