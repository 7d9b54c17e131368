@testable import BenchAgent
import BenchCore
@testable import BenchStore
import Foundation
import Testing

@Suite("collect: progress counted incrementally")
struct CollectionProgressCounterTests {
    static let t0 = Date(timeIntervalSince1970: 1_750_000_000)
    static let job = JobSpec(id: "baseline-1-1-fr", ordinal: 0, day: 1, configIndex: 1, country: "fr",
                             jobType: "small", iterations: 1, trials: 1)

    static func opening() -> CollectionStatus {
        CollectionStatus(collectionID: "c-1", total: 3, pending: 2, assigned: 0, done: 1, failedMeasurements: 0,
                         harnessErrors: 0, redispatched: 0, staleResults: 0, attemptsPerJob: [1: 1],
                         agentsSeen: ["local": 1], createdAt: t0, lastActivity: t0, completedAt: nil)
    }

    @Test("a re-run moves its job to the next attempt count; only committed results count; stale ones are audit")
    func outcomes() {
        let counter = CollectionProgressCounter(Self.opening())
        counter.leased(JobLease(job: Self.job, attempt: 2, agent: "local", leaseUntil: Self.t0 + 60), at: Self.t0 + 1)
        var status = counter.current
        #expect(status.pending == 1 && status.assigned == 1)
        #expect(status.attemptsPerJob == [2: 1])
        #expect(status.redispatched == 1)
        #expect(status.agentsSeen == ["local": 2])
        #expect(status.lastActivity == Self.t0 + 1)

        let failed = BaselineMetric.failure(job: Self.job, startedAt: Self.t0, durationMs: 3, httpStatus: 500,
                                            attempt: 2, agent: "local", error: "HTTP 500")
        status = counter.recorded(.committed, metric: failed, at: Self.t0 + 2)
        #expect(status.done == 2 && status.assigned == 0 && status.failedMeasurements == 1)
        status = counter.recorded(.duplicate, metric: failed, at: Self.t0 + 3)
        #expect(status.done == 2 && status.lastActivity == Self.t0 + 2)
        status = counter.recorded(.stale, metric: failed, at: Self.t0 + 4)
        #expect(status.done == 2 && status.staleResults == 1 && status.failedMeasurements == 1)
        status = counter.recorded(.notYours("not assigned"), metric: failed, at: Self.t0 + 5)
        #expect(status == counter.current)
        #expect(status.lastActivity == Self.t0 + 4)
    }
}
