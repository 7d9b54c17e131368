import Foundation

/// The JSON body of `POST /train`, exactly the seed's payload of `run_single_baseline_job`.
public struct TrainRequest: Codable, Sendable, Equatable {
    public var jobID: String
    public var country: String
    public var iterations: Int
    public var trials: Int
    public var revision: String
    public var baselineTest: Bool
    public var paidMediaSpends: [String]
    public var paidMediaVars: [String]
    public var contextVars: [String]
    public var factorVars: [String]
    public var organicVars: [String]

    /// The body's member names: their one spelling, used by this type's `Encodable` form (`collect`) and by
    /// BenchProtocol's `TrainTaskPayload.Writer` (the body of a coordinator's `train` assignment).
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case jobID = "job_id"
        case country, iterations, trials, revision
        case baselineTest = "baseline_test"
        case paidMediaSpends = "paid_media_spends"
        case paidMediaVars = "paid_media_vars"
        case contextVars = "context_vars"
        case factorVars = "factor_vars"
        case organicVars = "organic_vars"
    }

    /// The request for one job, with the plan's payload template.
    public init(job: JobSpec, template: PayloadTemplate) {
        jobID = job.id
        country = job.country
        iterations = job.iterations
        trials = job.trials
        revision = template.revision
        baselineTest = template.baselineTest
        paidMediaSpends = template.paidMediaSpends
        paidMediaVars = template.paidMediaVars
        contextVars = template.contextVars
        factorVars = template.factorVars
        organicVars = template.organicVars
    }

    /// The body as JSON bytes (sorted keys, so the same job always sends the same bytes).
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, ints and bools always encode.
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }
}
