import BenchCore
import BenchStore
import Foundation

extension Coordinator {
    /// The suite the collection still has to run (plan `checks.run`), or nil when there is none left.
    ///
    /// A phase whose suite run completed earlier is not run again; an unfinished run of a phase (the coordinator
    /// stopped mid-suite) is superseded by a new run, the old one stays stored without a completion time and is not
    /// reported. On a collection whose jobs are all done, only the `after` suite can still run.
    func checkSuite(store: BenchStore, collection: CollectionInfo, complete: Bool) throws
        -> CheckSuiteBoard?
    {
        let plan = collection.plan.checkPlan
        guard plan.run != .none else { return nil }
        let runs = try store.suiteRuns(collectionID: collection.id)
        var done = Set(runs.filter { $0.completedAt != nil }.map(\.phase))
        if complete { done.insert(.before) }
        for run in runs where run.completedAt == nil && !done.contains(run.phase) {
            logger.notice("check suite \(run.phase.rawValue) \(run.id) did not complete; a new run supersedes it")
        }
        let driver = CheckSuiteDriver(
            configuration: .init(
                collectionID: collection.id, plan: plan, target: configuration.checkTarget,
                maxAttempts: collection.plan.maxAttempts, leaseSeconds: configuration.leaseSeconds,
                maxShares: configuration.maxCheckShares,
                rollbackRunsLocally: configuration.localCheckRunner != nil,
                minAgents: configuration.minCheckAgents),
            completedPhases: done)
        guard driver.hasWork else { return nil }
        return CheckSuiteBoard(driver: driver, localRunner: configuration.localCheckRunner)
    }
}
