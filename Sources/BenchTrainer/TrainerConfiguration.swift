import Foundation

/// How a `ReferenceTrainer` listens, how much work it does and which faults it injects.
public struct TrainerConfiguration: Sendable {
    /// Address to bind; only loopback or an explicit interface address, never a wildcard by default.
    public var host: String = "127.0.0.1"
    /// Port to bind; 0 picks a free port (read it from `ReferenceTrainer.start()`).
    public var port: Int = 0
    /// Multiplies the search work (candidates per trial = iterations × workScale, at least 1); 0.01 for demos and
    /// tests, 1 for realistic fit times.
    public var workScale: Double = 1.0
    /// Multiplies the rows that `POST /api/test-data-processing` generates for a `size` (small: 20,000; at least 1
    /// row; an explicit `rows` is not scaled). 1 is the seed's workload; tests of the check runner use 0.1 so that a
    /// healthy trainer stays far below the seed's 10 s limit on a slow or sanitized build.
    public var dataScale: Double = 1.0
    /// Answer `/train` at once without fitting (after validating the payload), for dispatch benchmarks.
    public var instant: Bool = false
    /// Fault injection; `.none` serves normally.
    public var faults: TrainerFaults = .none
    /// When set, one JSON line per `/train` request is appended to this file: `{"job_id":..,"at":..}`.
    public var requestLogPath: String? = nil
    /// Moving-block bootstrap refits per search candidate: the per-candidate cost, calibrated so that the default
    /// matrix takes the times documented in docs/trainer.md.
    public var bootstrapResamples: Int = TrainerConfiguration.defaultBootstrapResamples
    /// Fits that run at once; further requests wait for a worker thread. Defaults to the number of cores.
    public var fitThreads: Int = ProcessInfo.processInfo.activeProcessorCount
    /// Largest request body accepted, in bytes; larger bodies get 413.
    public var maxBodyBytes: Int = 1 << 20

    /// The calibrated default of `bootstrapResamples`.
    public static let defaultBootstrapResamples = 300

    /// A configuration with every value at its default.
    public init() {}

    /// A configuration with the commonly set values.
    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        workScale: Double = 1.0,
        instant: Bool = false,
        faults: TrainerFaults = .none,
        requestLogPath: String? = nil
    ) {
        self.host = host
        self.port = port
        self.workScale = workScale
        self.instant = instant
        self.faults = faults
        self.requestLogPath = requestLogPath
    }
}
