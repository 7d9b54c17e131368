import BenchCore
import BenchStore
import Foundation
import Testing

/// The promises every crash-point and kill-loop test checks once the collection finished: every job terminal, one
/// counted result per job, the trainer called no more often than the test allows, and every SQLite file sound.
struct CollectionInvariants {
    /// What the checks found, for the tests' figures.
    struct Figures {
        var jobs = 0
        /// Jobs with no counted result.
        var lost = 0
        /// Jobs with more than one counted result.
        var double = 0
        /// `/train` calls beyond one per job (re-executed attempts).
        var extraTrainerCalls = 0
        /// The jobs behind `extraTrainerCalls`, for the failure message.
        var rerunJobs: [String] = []
    }

    /// The lines of `children`'s output that name one of `jobs`, each prefixed with its child's name: the story of
    /// a re-executed job (its assignments, leases, results and acknowledgements) for a failure message.
    static func story(of jobs: [String], in children: [(name: String, child: ChildProcess)]) -> String {
        guard !jobs.isEmpty else { return "" }
        var lines: [String] = []
        for (name, child) in children {
            lines += child.lines.filter { line in jobs.contains { line.contains($0) } }.map { "[\(name)] \($0)" }
        }
        return "re-executed jobs \(jobs):\n" + lines.joined(separator: "\n")
    }

    /// Checks the collection in `database` against `plan`, with the trainer's `/train` calls per job and other
    /// SQLite files (agent outboxes) that must pass `PRAGMA integrity_check` too.
    static func check(database: String, plan: Plan, trainRequests: [String: Int], outboxes: [String] = [],
                      sourceLocation: SourceLocation = #_sourceLocation) throws -> Figures {
        #expect(try SQLiteInspection.integrityCheck(path: database) == ["ok"], "collection database",
                sourceLocation: sourceLocation)
        for outbox in outboxes where FileManager.default.fileExists(atPath: outbox) {
            #expect(try SQLiteInspection.integrityCheck(path: outbox) == ["ok"], "outbox \(outbox)",
                    sourceLocation: sourceLocation)
        }
        let store = try BenchStore(path: database)
        defer { store.close() }
        let collection = try #require(try store.currentCollection(), sourceLocation: sourceLocation)
        let status = try store.status(collectionID: collection.id)
        let jobs = plan.expandJobs().map(\.id) // one-target plans: a job id is its task id
        #expect(status.completedAt != nil, "collection marked complete", sourceLocation: sourceLocation)
        #expect(status.total == jobs.count && status.done == jobs.count && status.pending == 0
                    && status.assigned == 0, "every job terminal: \(status)", sourceLocation: sourceLocation)
        #expect(status.harnessErrors == 0, "no job given up: \(status)", sourceLocation: sourceLocation)

        var counted: [String: Int] = [:]
        for metric in try store.countedMetrics(collectionID: collection.id) {
            counted[metric.jobID, default: 0] += 1
        }
        var figures = Figures(jobs: jobs.count)
        for job in jobs {
            let count = counted[job, default: 0]
            if count == 0 { figures.lost += 1 }
            if count > 1 { figures.double += 1 }
            let requests = trainRequests[job, default: 0]
            #expect(requests >= 1, "\(job) never reached the trainer", sourceLocation: sourceLocation)
            figures.extraTrainerCalls += max(0, requests - 1)
            if requests > 1 { figures.rerunJobs.append(job) }
        }
        #expect(figures.lost == 0, "jobs without a counted result", sourceLocation: sourceLocation)
        #expect(figures.double == 0, "jobs counted twice", sourceLocation: sourceLocation)
        #expect(Set(counted.keys) == Set(jobs), "counted results are exactly the plan's jobs",
                sourceLocation: sourceLocation)
        return figures
    }

    /// `/train` requests per job id in a trainer's `--request-log`.
    static func trainRequests(log path: String) throws -> [String: Int] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        var counts: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if let id = object?["job_id"] as? String { counts[id, default: 0] += 1 }
        }
        return counts
    }
}
