import NIOPosix
import Synchronization

/// Runs CPU-bound fits on a dedicated `NIOThreadPool`, off the Swift cooperative pool, so the HTTP server (and
/// `/health`) stays responsive while fits run. Each job's CPU time is measured on its worker thread.
final class FitExecutor: Sendable {
    /// A value computed on a worker thread, with the time it took there.
    struct Measured<Value: Sendable>: Sendable {
        var value: Value
        /// CPU time of the worker thread while it ran the job (`CLOCK_THREAD_CPUTIME_ID`).
        var cpuSeconds: Double
        /// Wall time on the worker thread.
        var runSeconds: Double
        /// Wall time spent waiting for a free worker thread.
        var queueSeconds: Double
    }

    /// Tells a running job that its caller went away or the trainer is stopping.
    final class StopFlag: Sendable {
        private let stopped = Atomic<Bool>(false)
        func stop() { stopped.store(true, ordering: .relaxed) }
        var isStopped: Bool { stopped.load(ordering: .relaxed) }
    }

    private let pool: NIOThreadPool
    private let active = Atomic<Int>(0)
    /// Raised by `shutdown()`, seen by every job still running.
    private let stopping = StopFlag()

    /// The number of worker threads, i.e. fits that run at once (more requests wait in a queue).
    let threads: Int

    init(threads: Int) {
        self.threads = max(1, threads)
        self.pool = NIOThreadPool(numberOfThreads: self.threads)
    }

    func start() {
        pool.start()
    }

    /// Asks running jobs to stop and waits for the worker threads to finish.
    func shutdown() async {
        stopping.stop()
        try? await pool.shutdownGracefully()
    }

    /// Jobs running or queued right now.
    var activeJobs: Int { active.load(ordering: .relaxed) }

    /// Runs `job` on a worker thread. `job` receives a closure that turns true once the calling task is cancelled
    /// or the executor shuts down; long jobs poll it and give up.
    func run<Value: Sendable>(
        _ job: @escaping @Sendable (_ shouldStop: () -> Bool) throws -> Value
    ) async throws -> Measured<Value> {
        let flag = StopFlag()
        let stopping = self.stopping
        let submitted = ContinuousClock.now
        active.add(1, ordering: .relaxed)
        defer { active.subtract(1, ordering: .relaxed) }
        return try await withTaskCancellationHandler {
            try await pool.runIfActive {
                let started = ContinuousClock.now
                let cpuBefore = ThreadCPUClock.now() ?? 0
                let value = try job { flag.isStopped || stopping.isStopped }
                let cpuAfter = ThreadCPUClock.now() ?? cpuBefore
                let finished = ContinuousClock.now
                return Measured(
                    value: value,
                    cpuSeconds: max(0, cpuAfter - cpuBefore),
                    runSeconds: (finished - started).seconds,
                    queueSeconds: (started - submitted).seconds
                )
            }
        } onCancel: {
            flag.stop()
        }
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
