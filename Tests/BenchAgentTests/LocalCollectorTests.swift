import BenchAgent
import BenchCore
import BenchStore
import BenchTrainer
import Foundation
import NIOConcurrencyHelpers
import Testing

@Suite("Local collector", .serialized)
struct LocalCollectorTests {
    /// A database path in a fresh temporary directory; `removeTemporaryPath(_:)` deletes the directory (the
    /// database, its WAL and lock files) when the test is done.
    static func temporaryPath() -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mmmbench-lc-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("collection.sqlite").path
    }

    static func removeTemporaryPath(_ path: String) {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }

    static let plan = Plan(days: 2, jobs: [JobConfig(type: "small", iterations: 5, trials: 1, countries: ["fr", "de"]),
                                           JobConfig(type: "large", iterations: 20, trials: 2, countries: ["uk"])],
                           jobGapSeconds: 0, dayGapSeconds: 0.05)

    @Test("runs every job once, records failures as measurements, and completes")
    func failuresAreMeasurements() async throws {
        var faults = TrainerFaults()
        faults.trainFailureEveryNth = 2
        let path = Self.temporaryPath()
        defer { Self.removeTemporaryPath(path) }
        let status = try await withTrainer(faults: faults) { url in
            try await LocalCollector(configuration: testCollectionConfiguration(
                trainerURL: url, databasePath: path, plan: Self.plan, concurrency: 2)).run { _ in }
        }
        #expect(status.total == 6 && status.done == 6)
        #expect(status.failedMeasurements == 3)
        let store = try BenchStore(path: path)
        let metrics = try store.countedMetrics(collectionID: status.collectionID)
        #expect(metrics.map(\.jobID) == Self.plan.expandJobs().map(\.id))
        #expect(metrics.filter { !$0.success }.allSatisfy { $0.errorMessage?.hasPrefix("HTTP 500") == true })
    }

    @Test("each progress status equals the store's status at that moment, across a resumed run with failures")
    func progressMatchesStore() async throws {
        let path = Self.temporaryPath()
        defer { Self.removeTemporaryPath(path) }
        // An earlier run was killed while running the first job: it is abandoned at the start and rerun as
        // attempt 2, so the counter must move that job from one attempt to two.
        do {
            let store = try BenchStore(path: path)
            let (collection, _) = try store.openCollection(plan: Self.plan, forceNew: false)
            _ = try store.leaseNextJob(collectionID: collection.id, agent: LocalCollector.agentName, leaseSeconds: 60,
                                       dayGapSeconds: 0)
        }
        var faults = TrainerFaults()
        faults.trainFailureEveryNth = 2
        let observed = NIOLockedValueBox<[(progress: CollectionStatus, stored: CollectionStatus)]>([])
        let store = try BenchStore(path: path)
        let final = try await withTrainer(faults: faults) { url in
            try await LocalCollector(configuration: testCollectionConfiguration(
                trainerURL: url, databasePath: path, plan: Self.plan, concurrency: 1)).run { event in
                guard case .finished(_, _, let status) = event else { return }
                let stored = try? store.status(collectionID: status.collectionID)
                observed.withLockedValue { $0.append((status, stored ?? status)) }
            }
        }
        let pairs = observed.withLockedValue { $0 }
        #expect(pairs.count == 6)
        for (index, pair) in pairs.enumerated() {
            #expect(pair.progress == pair.stored, "after job \(index + 1)")
        }
        #expect(pairs.last?.progress.attemptsPerJob == [1: 5, 2: 1])
        #expect(pairs.last?.progress.failedMeasurements == 3)
        #expect(final.done == 6)
    }

    @Test("a second collector on the same database is refused while the first runs")
    func exclusive() throws {
        let path = Self.temporaryPath()
        defer { Self.removeTemporaryPath(path) }
        func holdAndTry() throws {
            let store = try BenchStore(soleWriterOf: path)
            let error = #expect(throws: StoreError.self) { try BenchStore(soleWriterOf: path) }
            #expect(error?.kind == .locked)
            // Readers take no lock.
            _ = try BenchStore(path: path).currentCollection()
            store.close()
        }
        try holdAndTry()
        // Released with its owner: the next collector gets it.
        _ = try BenchStore(soleWriterOf: path)
    }

    @Test("cancelling releases the running job; the next run finishes exactly the rest")
    func cancelAndResume() async throws {
        let path = Self.temporaryPath()
        defer { Self.removeTemporaryPath(path) }
        var faults = TrainerFaults()
        faults.trainHang = true
        // Against a trainer that never answers, the first job is running when the run is cancelled.
        let started = AsyncStream<Void>.makeStream()
        try await withTrainer(faults: faults) { url in
            let task = Task {
                // A run that fails before its first job ends the wait below instead of hanging it.
                defer { started.continuation.finish() }
                _ = try await LocalCollector(configuration: testCollectionConfiguration(
                    trainerURL: url, databasePath: path, plan: Self.plan)).run { event in
                    if case .started = event { started.continuation.yield() }
                }
            }
            for await _ in started.stream { break }
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
        }
        let store = try BenchStore(path: path)
        let collection = try #require(try store.currentCollection())
        let interrupted = try store.status(collectionID: collection.id)
        #expect(interrupted.done == 0 && interrupted.assigned == 0 && interrupted.pending == 6)

        let status = try await withTrainer { url in
            try await LocalCollector(configuration: testCollectionConfiguration(
                trainerURL: url, databasePath: path, plan: Self.plan)).run { _ in }
        }
        #expect(status.collectionID == collection.id)
        #expect(status.done == 6 && status.failedMeasurements == 0 && status.harnessErrors == 0)
    }
}
