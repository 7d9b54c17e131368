import BenchCore
import BenchJSON
import BenchProtocol
import Foundation

/// `BaselineMetric` through Foundation's `JSONEncoder`/`JSONDecoder` with synthesized coding: the oracle the metric's
/// one writer and reader (BenchProtocol's `wireValue`, `init(wireValue:)`, `init(storageJSON:)`) are checked against. Tests
/// only; the product has no Codable form of the metric.
struct MetricCodableOracle: Codable, Equatable {
    var timestamp: Date
    var jobID: String
    var jobType: String
    var iterations: Int
    var trials: Int
    var country: String
    var durationMinutes: Double
    var cpuHours: Double
    var memoryGBHours: Double
    var costEstimate: Double
    var success: Bool
    var errorMessage: String?
    var attempt: Int
    var agent: String
    var httpStatus: Int?
    var durationMs: Double
    var trainerFigures: [String: Double]
    var target: String?

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
        case attempt, agent
        case httpStatus = "http_status"
        case durationMs = "duration_ms"
        case trainerFigures = "trainer_figures"
        case target
    }

    init(_ metric: BaselineMetric) {
        timestamp = metric.timestamp
        jobID = metric.jobID
        jobType = metric.jobType
        iterations = metric.iterations
        trials = metric.trials
        country = metric.country
        durationMinutes = metric.durationMinutes
        cpuHours = metric.cpuHours
        memoryGBHours = metric.memoryGBHours
        costEstimate = metric.costEstimate
        success = metric.success
        errorMessage = metric.errorMessage
        attempt = metric.attempt
        agent = metric.agent
        httpStatus = metric.httpStatus
        durationMs = metric.durationMs
        trainerFigures = metric.trainerFigures
        target = metric.target
    }

    var metric: BaselineMetric {
        BaselineMetric(
            timestamp: timestamp, jobID: jobID, jobType: jobType, iterations: iterations, trials: trials,
            country: country, durationMinutes: durationMinutes, cpuHours: cpuHours, memoryGBHours: memoryGBHours,
            costEstimate: costEstimate, success: success, errorMessage: errorMessage, attempt: attempt, agent: agent,
            httpStatus: httpStatus, durationMs: durationMs, trainerFigures: trainerFigures, target: target)
    }

    /// The bytes the agent's encoder wrote before the metric had one owner (sorted keys, `/` unescaped).
    static func wireBytes(_ metric: BaselineMetric) throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(MetricCodableOracle(metric))
    }

    /// The oracle's metric for `bytes`, or nil when it refuses them.
    static func decode(_ bytes: Data) -> BaselineMetric? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return (try? decoder.decode(MetricCodableOracle.self, from: bytes))?.metric
    }
}

extension BaselineMetric {
    /// The metric's wire JSON as BenchJSON's writer writes it (what the store kept in `metric_json` before migration
    /// `v-result-metric-columns`), or nil when it has none.
    var wireText: String? {
        guard let value = wireValue, let bytes = try? JSONWriter.bytes(value) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
