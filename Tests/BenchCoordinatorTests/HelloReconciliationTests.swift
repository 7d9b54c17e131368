@testable import BenchCoordinator
import Testing

@Suite("HelloReconciliation: re-attach, cancel, lost")
struct HelloReconciliationTests {
    let a1 = TaskKey(jobID: "baseline-1-1-fr", attempt: 1)
    let b2 = TaskKey(jobID: "baseline-1-1-de", attempt: 2)
    let c1 = TaskKey(jobID: "baseline-1-2-uk", attempt: 1)
    let d3 = TaskKey(jobID: "baseline-2-1-fr", attempt: 3)

    @Test("running attempts still held are re-attached; others cancelled; held but unmentioned ones are lost")
    func classification() {
        let result = HelloReconciliation(
            held: [a1, b2, c1], running: [a1, d3, TaskKey(jobID: b2.jobID, attempt: 1)], queued: [c1])
        #expect(result.reattached == [a1])
        #expect(result.cancelled == [d3, TaskKey(jobID: b2.jobID, attempt: 1)])
        #expect(result.lost == [b2])
    }

    @Test("a queued result keeps its attempt (result follows); duplicates in running count once")
    func queuedAndDuplicates() {
        let result = HelloReconciliation(held: [a1, b2], running: [a1, a1], queued: [b2])
        #expect(result.reattached == [a1])
        #expect(result.cancelled.isEmpty)
        #expect(result.lost.isEmpty)
    }

    @Test("an attempt being assigned to this agent right now is neither cancelled nor lost")
    func leasing() {
        let result = HelloReconciliation(held: [], running: [c1], queued: [], leasing: { $0 == self.c1 })
        #expect(result == HelloReconciliation(held: [], running: [], queued: []))
    }

    @Test("a fresh agent with nothing held and nothing running gets empty lists")
    func fresh() {
        let fresh = HelloReconciliation(held: [], running: [], queued: [])
        #expect(fresh.reattached.isEmpty && fresh.cancelled.isEmpty && fresh.lost.isEmpty)
        #expect(HelloReconciliation(held: [a1], running: [], queued: []).lost == [a1])
    }
}
