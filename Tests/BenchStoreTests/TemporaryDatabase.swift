import BenchCore
import BenchStore
import Foundation

/// A database file in a fresh temporary directory, removed when the test is done.
struct TemporaryDatabase: ~Copyable {
    let directory: String
    var path: String { directory + "/bench.sqlite" }

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mmmbench-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }
}

extension BaselineMetric {
    static func sample(_ job: JobSpec, attempt: Int, agent: String, success: Bool = true) -> BaselineMetric {
        success
            ? .success(job: job, startedAt: Date(), durationMs: 1500, httpStatus: 200, attempt: attempt, agent: agent,
                       costModel: CostModel())
            : .failure(job: job, startedAt: Date(), durationMs: 10, httpStatus: 500, attempt: attempt, agent: agent,
                       error: "HTTP 500")
    }
}

extension LeaseDecision {
    var lease: JobLease? {
        if case .leased(let lease) = self { return lease }
        return nil
    }
}
