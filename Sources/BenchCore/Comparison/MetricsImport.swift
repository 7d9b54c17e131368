import Foundation

/// Reads measurements back from the JSON and CSV that `mmmbench report` writes, and from the `baseline_metrics.json`
/// of the seed's own `collect_baseline.py` (failed rows included: `success: false`, an `error_message`, zero
/// duration). Pure: the caller reads the file; `source` names it in errors.
///
/// Required per row: `job_id`, `job_type`, `country`, `success`, `duration_minutes`. Everything else is optional
/// (`cost_estimate`, `cpu_hours`, `memory_gb_hours` default to 0; `target` marks an A/B collection); unknown keys
/// and columns are ignored, so later exports with more fields still read.
public enum MetricsImport {
    /// Parses a JSON list of measurement objects.
    public static func json(_ text: String, source: String) throws(ComparisonError) -> [BaselineMetric] {
        let rows: [ImportedRow]
        do {
            rows = try JSONDecoder().decode([ImportedRow].self, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw ComparisonError(.malformed, "\(source): \(describe(error))")
        } catch {
            throw ComparisonError(.malformed, "\(source): not a JSON list of measurements: \(error)")
        }
        var metrics: [BaselineMetric] = []
        for (index, row) in rows.enumerated() {
            metrics.append(try row.metric(source: source, row: index + 1))
        }
        return metrics
    }

    /// Parses CSV (RFC 4180) with a header row naming the columns.
    public static func csv(_ text: String, source: String) throws(ComparisonError) -> [BaselineMetric] {
        let records = try CSVRecords.parse(text, source: source)
        guard let header = records.first else {
            throw ComparisonError(.malformed, "\(source): empty CSV file (no header row)")
        }
        for required in ["job_id", "job_type", "country", "success", "duration_minutes"]
        where !header.contains(required) {
            throw ComparisonError(.malformed, "\(source): CSV header has no column '\(required)'")
        }
        var metrics: [BaselineMetric] = []
        for (index, record) in records.dropFirst().enumerated() {
            if record == [""] { continue }  // a blank line
            let rowNumber = index + 1
            guard record.count == header.count else {
                throw ComparisonError(.malformed, "\(source): row \(rowNumber) has \(record.count) fields, the "
                    + "header \(header.count)")
            }
            var fields: [String: String] = [:]
            for (name, value) in zip(header, record) { fields[name] = value }
            metrics.append(try ImportedRow(csv: fields, source: source, row: rowNumber)
                .metric(source: source, row: rowNumber))
        }
        return metrics
    }

    static func describe(_ error: DecodingError) -> String {
        func place(_ path: [any CodingKey]) -> String {
            var row: Int?
            var field: String?
            for key in path {
                if let index = key.intValue { row = index + 1 } else { field = key.stringValue }
            }
            switch (row, field) {
            case let (row?, field?): return "row \(row), field \(field)"
            case let (row?, nil): return "row \(row)"
            case let (nil, field?): return "field \(field)"
            default: return "top level"
            }
        }
        switch error {
        case let .keyNotFound(key, context):
            return "\(place(context.codingPath + [key])): missing"
        case let .typeMismatch(type, context):
            return "\(place(context.codingPath)): expected \(typeName(type))"
        case let .valueNotFound(type, context):
            return "\(place(context.codingPath)): expected \(typeName(type)), got null"
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty
                ? "not valid JSON (\(context.underlyingError.map { "\($0)" } ?? context.debugDescription))"
                : "\(place(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type: return "true or false"
        case is Double.Type, is Int.Type: return "a number"
        case is String.Type: return "a string"
        default: return "\(type)".hasPrefix("Array") ? "a list" : "\(type)"
        }
    }
}

/// One row of an imported file, before it becomes a `BaselineMetric`.
struct ImportedRow: Decodable {
    var timestamp: String?
    var jobID: String
    var jobType: String
    var iterations: Int?
    var trials: Int?
    var country: String
    var durationMinutes: Double
    var cpuHours: Double?
    var memoryGBHours: Double?
    var costEstimate: Double?
    var success: Bool
    var errorMessage: String?
    var target: String?
    var attempt: Int?
    var agent: String?
    var httpStatus: Int?
    var durationMs: Double?

    enum CodingKeys: String, CodingKey {
        case timestamp
        case jobID = "job_id"
        case jobType = "job_type"
        case iterations, trials, country
        case durationMinutes = "duration_minutes"
        case cpuHours = "cpu_hours"
        case memoryGBHours = "memory_gb_hours"
        case costEstimate = "cost_estimate"
        case success
        case errorMessage = "error_message"
        case target, attempt, agent
        case httpStatus = "http_status"
        case durationMs = "duration_ms"
    }

    init(csv fields: [String: String], source: String, row: Int) throws(ComparisonError) {
        func fail(_ field: String, _ reason: String) -> ComparisonError {
            ComparisonError(.malformed, "\(source): row \(row), field \(field): \(reason)")
        }
        func text(_ key: CodingKeys) -> String? {
            guard let value = fields[key.rawValue], !value.isEmpty else { return nil }
            return value
        }
        func number(_ key: CodingKeys) throws(ComparisonError) -> Double? {
            guard let value = text(key) else { return nil }
            guard let number = Double(value), number.isFinite else {
                throw fail(key.rawValue, "expected a number, got '\(value)'")
            }
            return number
        }
        func integer(_ key: CodingKeys) throws(ComparisonError) -> Int? {
            guard let value = text(key) else { return nil }
            guard let number = Int(value) else { throw fail(key.rawValue, "expected an integer, got '\(value)'") }
            return number
        }
        func required(_ key: CodingKeys) throws(ComparisonError) -> String {
            guard let value = text(key) else { throw fail(key.rawValue, "missing") }
            return value
        }
        timestamp = text(.timestamp)
        jobID = try required(.jobID)
        jobType = try required(.jobType)
        country = try required(.country)
        iterations = try integer(.iterations)
        trials = try integer(.trials)
        guard let minutes = try number(.durationMinutes) else { throw fail("duration_minutes", "missing") }
        durationMinutes = minutes
        cpuHours = try number(.cpuHours)
        memoryGBHours = try number(.memoryGBHours)
        costEstimate = try number(.costEstimate)
        switch try required(.success).lowercased() {
        case "true", "1": success = true
        case "false", "0": success = false
        case let other: throw fail("success", "expected True or False, got '\(other)'")
        }
        errorMessage = text(.errorMessage)
        target = text(.target)
        attempt = try integer(.attempt)
        agent = text(.agent)
        httpStatus = try integer(.httpStatus)
        durationMs = try number(.durationMs)
    }

    func metric(source: String, row: Int) throws(ComparisonError) -> BaselineMetric {
        guard durationMinutes.isFinite, durationMinutes >= 0 else {
            throw ComparisonError(.malformed, "\(source): row \(row), field duration_minutes: must be 0 or more")
        }
        var date = Date(timeIntervalSince1970: 0)
        if let timestamp {
            guard let parsed = PythonTimestamp.parse(timestamp) else {
                throw ComparisonError(.malformed, "\(source): row \(row), field timestamp: '\(timestamp)' is not an "
                    + "ISO-8601 date and time")
            }
            date = parsed
        }
        return BaselineMetric(
            timestamp: date, jobID: jobID, jobType: jobType, iterations: iterations ?? 0, trials: trials ?? 0,
            country: country, durationMinutes: durationMinutes, cpuHours: cpuHours ?? 0,
            memoryGBHours: memoryGBHours ?? 0, costEstimate: costEstimate ?? 0, success: success,
            errorMessage: errorMessage, attempt: attempt ?? 1, agent: agent ?? "", httpStatus: httpStatus,
            durationMs: durationMs ?? durationMinutes * 60_000, target: target)
    }
}

/// Python's `datetime.isoformat()` output, naive (the seed script: local time, read as UTC) or with an offset.
enum PythonTimestamp {
    static func parse(_ text: String) -> Date? {
        let scalars = Array(text.utf8)
        guard scalars.count >= 19 else { return nil }
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= scalars.count else { return nil }
            var value = 0
            for byte in scalars[range] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = digits(0..<4), scalars[4] == 45, let month = digits(5..<7), scalars[7] == 45,
              let day = digits(8..<10), scalars[10] == 84 || scalars[10] == 32, let hour = digits(11..<13),
              scalars[13] == 58, let minute = digits(14..<16), scalars[16] == 58, let second = digits(17..<19)
        else { return nil }
        var position = 19
        var fraction = 0.0
        if position < scalars.count, scalars[position] == 46 {
            var end = position + 1
            while end < scalars.count, scalars[end] >= 48, scalars[end] <= 57 { end += 1 }
            guard end > position + 1, let value = Double("0" + String(decoding: scalars[position..<end], as: UTF8.self))
            else { return nil }
            fraction = value
            position = end
        }
        var offset = 0
        if position < scalars.count {
            let rest = String(decoding: scalars[position...], as: UTF8.self)
            if rest == "Z" {
                offset = 0
            } else {
                let sign = rest.first == "-" ? -1 : 1
                let parts = rest.dropFirst().split(separator: ":")
                guard rest.first == "+" || rest.first == "-", parts.count == 2, let h = Int(parts[0]),
                      let m = Int(parts[1])
                else { return nil }
                offset = sign * (h * 3600 + m * 60)
            }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute,
                                        second: second)
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61,
              let base = calendar.date(from: components)
        else { return nil }
        return base.addingTimeInterval(fraction - Double(offset))
    }
}
