import AsyncHTTPClient
import BenchCore
import BenchStore
import Foundation
import Logging

/// Settings of a single-host collection (`mmmbench collect`).
public struct LocalCollectionConfiguration: Sendable {
    /// The trainer of a one-target collection; not used when the plan names `targets` (each side's URL is there).
    public var trainerURL: String
    public var databasePath: String
    public var plan: Plan
    /// Jobs run at once (slots). The seed runs one at a time.
    public var concurrency: Int
    /// Multiplies the plan's job and day gaps (0.001 turns 4 h into 14.4 s); 1 is real time.
    public var timeScale: Double
    /// Start a new collection even if the database holds one with another plan.
    public var forceNew: Bool
    /// Limit of opening a connection to a trainer (``TrainerClient/defaultConnectTimeoutSeconds``).
    public var trainerConnectTimeoutSeconds = TrainerClient.defaultConnectTimeoutSeconds

    public init(trainerURL: String, databasePath: String, plan: Plan, concurrency: Int = 1, timeScale: Double = 1,
                forceNew: Bool = false) {
        self.trainerURL = trainerURL
        self.databasePath = databasePath
        self.plan = plan
        self.concurrency = concurrency
        self.timeScale = timeScale
        self.forceNew = forceNew
    }
}

/// Something the collector reports as it goes, for progress lines and logs.
public enum CollectionEvent: Sendable {
    case opened(collectionID: String, created: Bool, total: Int, alreadyDone: Int, abandoned: [ExpiredAttempt])
    case started(JobSpec, attempt: Int)
    /// `status` is kept incrementally from the opening status (no store query per job); see
    /// ``CollectionProgressCounter``.
    case finished(BaselineMetric, outcome: RecordOutcome, status: CollectionStatus)
    /// The next job starts a new day; its day gap ends at `until`.
    case waitingForDayGap(until: Date)
    case completed(CollectionStatus)
}

/// The seed's collector done right on one host: every result committed as it completes, resumable after any kill.
public struct LocalCollector: Sendable {
    /// The agent name recorded for jobs run by `mmmbench collect`.
    public static let agentName = "local"

    public let configuration: LocalCollectionConfiguration

    public init(configuration: LocalCollectionConfiguration) {
        self.configuration = configuration
    }

    /// Runs (or resumes) the collection to the end. Cancelling the calling task stops it cleanly: running requests
    /// are abandoned and their jobs released, so the next run redoes exactly those.
    public func run(events: @escaping @Sendable (CollectionEvent) -> Void) async throws -> CollectionStatus {
        let store = try BenchStore(soleWriterOf: configuration.databasePath)
        defer { store.close() }
        let plan = configuration.plan
        let (collection, created) = try store.openCollection(plan: plan, forceNew: configuration.forceNew)
        let abandoned = try store.abandonAttempts(collectionID: collection.id, agent: Self.agentName,
                                                  maxAttempts: plan.maxAttempts)
        let opening = try store.status(collectionID: collection.id)
        let progress = CollectionProgressCounter(opening)
        events(.opened(collectionID: collection.id, created: created, total: opening.total,
                       alreadyDone: opening.done, abandoned: abandoned))

        let connectTimeout = configuration.trainerConnectTimeoutSeconds
        let http = TrainerClient.makeHTTPClient(connections: configuration.concurrency,
                                                connectTimeoutSeconds: connectTimeout)
        let runner = TargetRunners(trainerURL: configuration.trainerURL, plan: plan, http: http,
                                   agent: Self.agentName, connectTimeoutSeconds: connectTimeout)
        do {
            if let unreachable = try await runner.firstUnreachable() { throw unreachable }
        } catch {
            try? await http.shutdown()
            throw error
        }
        let signal = CompletionSignal()
        let resumeFrom = try store.lastActivity(collectionID: collection.id)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<max(1, configuration.concurrency) {
                    group.addTask {
                        try await runSlot(store: store, collectionID: collection.id, runner: runner, signal: signal,
                                          progress: progress, previousJobEnd: resumeFrom, events: events)
                    }
                }
                try await group.waitForAll()
            }
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
        try store.markCompleted(collectionID: collection.id)
        let final = try store.status(collectionID: collection.id)
        events(.completed(final))
        return final
    }

    func runSlot(
        store: BenchStore, collectionID: String, runner: TargetRunners, signal: CompletionSignal,
        progress: CollectionProgressCounter, previousJobEnd: Date?, events: @escaping @Sendable (CollectionEvent) -> Void
    ) async throws {
        let plan = configuration.plan
        let jobGap = plan.jobGapSeconds * configuration.timeScale
        let dayGap = plan.dayGapSeconds * configuration.timeScale
        var lastJobEnd = previousJobEnd
        while true {
            try Task.checkCancellation()
            if let lastJobEnd { try await Self.sleep(until: lastJobEnd.addingTimeInterval(jobGap)) }
            let generation = await signal.current
            let leasedAt = Date()
            // In an A/B collection the slot takes both halves of a job and runs them back to back (ABBA order).
            let (decision, partner) = try store.leaseNextPair(
                collectionID: collectionID, agent: Self.agentName, leaseSeconds: 2 * plan.timeoutSeconds + 60,
                dayGapSeconds: dayGap, now: leasedAt)
            switch decision {
            case .finished:
                await signal.fire()
                return
            case .waitForRunning:
                await signal.wait(since: generation)
            case .waitUntil(let date):
                events(.waitingForDayGap(until: date))
                try await Self.sleep(until: date)
            case .leased(let lease):
                let tasks = [lease] + (partner.map { [$0] } ?? [])
                for task in tasks { progress.leased(task, at: leasedAt) }
                for (index, task) in tasks.enumerated() {
                    do {
                        try await runTask(task, store: store, collectionID: collectionID, runner: runner,
                                          progress: progress, events: events)
                    } catch {
                        if index == 0, let partner {
                            try? store.releaseAttempt(collectionID: collectionID, jobID: partner.job.taskID,
                                                      attempt: partner.attempt, agent: Self.agentName)
                        }
                        throw error
                    }
                }
                lastJobEnd = Date()
                await signal.fire()
            }
        }
    }

    /// Runs one leased task and records its result; on cancellation releases it and rethrows.
    func runTask(
        _ lease: JobLease, store: BenchStore, collectionID: String, runner: TargetRunners,
        progress: CollectionProgressCounter, events: @escaping @Sendable (CollectionEvent) -> Void
    ) async throws {
        CrashPoint.reach(.leaseBeforeAssign)
        events(.started(lease.job, attempt: lease.attempt))
        let metric: BaselineMetric
        do {
            metric = try await runner.run(lease.job, attempt: lease.attempt)
        } catch {
            try? store.releaseAttempt(collectionID: collectionID, jobID: lease.job.taskID, attempt: lease.attempt,
                                      agent: Self.agentName)
            throw error
        }
        CrashPoint.reach(.resultBeforeCommit)
        let recordedAt = Date()
        let outcome = try store.recordResult(
            collectionID: collectionID,
            ResultSubmission(jobID: lease.job.taskID, attempt: lease.attempt, agent: Self.agentName, metric: metric),
            now: recordedAt)
        CrashPoint.reach(.commitBeforeAck)
        events(.finished(metric, outcome: outcome, status: progress.recorded(outcome, metric: metric, at: recordedAt)))
    }

    static func sleep(until date: Date) async throws {
        let seconds = date.timeIntervalSinceNow
        if seconds > 0 { try await Task.sleep(for: .milliseconds(Int64((seconds * 1000).rounded(.up)))) }
    }
}
