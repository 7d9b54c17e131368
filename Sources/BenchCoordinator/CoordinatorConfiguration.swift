import BenchCore
import BenchJSON
import BenchProtocol
import BenchTLS
import BenchWire

/// Runs one check on the coordinator's own host (the rollback check, whose script path is relative to the
/// coordinator's working directory). Throws only when the check could not run at all (recorded as `error`).
public typealias LocalCheckRunner = @Sendable (CheckTask) async throws -> CheckOutcome

/// Everything a coordinator needs: where to listen, the database, the plan, TLS, who may connect, and the timing
/// of leases and heartbeats.
public struct CoordinatorConfiguration: Sendable {
    /// Address to listen on (`0.0.0.0` for every interface).
    public var host: String
    /// TCP port; 0 picks a free one (reported to `onListening`).
    public var port: Int
    /// The SQLite database of the collection (created if missing).
    public var databasePath: String
    /// The plan. Nil: resume the database's collection with its stored plan, or the seed's defaults if empty.
    public var plan: Plan?
    /// The coordinator's certificate, key and the CA agents' certificates must chain to.
    public var tls: TLSConfiguration
    /// Agent names (certificate common names) allowed to connect; empty: any agent the CA vouches for.
    public var allowedAgents: Set<String>
    /// Where the reports go when the collection completes; nil: no reports.
    public var reportDirectory: String?
    /// Multiplies the plan's job and day gaps (0.01 for tests); 1 is real time.
    public var timeScale: Double
    /// Start a new collection even if the database holds one with another plan.
    public var forceNew: Bool
    /// Lease of an attempt after its last sign of life (assign, heartbeat listing it, started, progress).
    public var leaseSeconds: Double
    /// How often each side sends a heartbeat.
    public var heartbeatIntervalMS: Int
    /// Silence after which an agent connection is considered dead and closed (its leases keep running).
    public var heartbeatTimeoutMS: Int
    /// How long a connection may take to send its `hello` after the TLS handshake.
    public var helloTimeoutSeconds: Double
    /// Most authenticated connections that may wait for their `hello` at the same time; more are closed at once
    /// (logged). Each waits at most `helloTimeoutSeconds`.
    public var maxConnectionsAwaitingHello: Int = 128
    /// On SIGINT/SIGTERM: how long to wait for received results to be committed and acknowledged.
    public var shutdownGraceSeconds: Double
    /// On completion: how long to wait for drained agents to say `bye` before closing their connections.
    public var drainGraceSeconds: Double
    /// How often `onProgress` is called.
    public var progressIntervalSeconds: Double
    /// Frame limit and buffering of agent connections.
    public var wire: WireConfiguration
    /// Re-read certificate, key, CA and CRL when this fires (`mmmbench coordinator` fires it on SIGHUP): new agent
    /// connections use the new files, established sessions and the collection go on. nil: never reloaded.
    public var tlsReloadTrigger: TLSReloadTrigger?
    /// The `/metrics` figures fed at the event (commit latency, trainer durations, wire bytes); nil: none kept.
    public var metrics: StatusMetrics?
    /// Runs the rollback check of the plan's suite (`checks.run`) on this host; nil: an agent runs it (with the
    /// script path relative to the agent's working directory).
    public var localCheckRunner: LocalCheckRunner?
    /// What the suite's reports name as the target: the trainer the agents check (their `--trainer-url`).
    public var checkTarget: String
    /// Most agents a concurrent check (parallel processing, load handling) is split over; fewer when fewer are
    /// connected.
    public var maxCheckShares: Int
    /// Agents that must be connected before a suite's first check is sent (the suite waits for them).
    public var minCheckAgents: Int

    public init(
        host: String = "127.0.0.1", port: Int = 7443, databasePath: String, plan: Plan? = nil,
        tls: TLSConfiguration, allowedAgents: Set<String> = [], reportDirectory: String? = nil,
        timeScale: Double = 1, forceNew: Bool = false, leaseSeconds: Double = 30, heartbeatIntervalMS: Int = 2_000,
        heartbeatTimeoutMS: Int = 10_000, helloTimeoutSeconds: Double = 10, shutdownGraceSeconds: Double = 5,
        drainGraceSeconds: Double = 10, progressIntervalSeconds: Double = 1,
        wire: WireConfiguration = WireConfiguration(), localCheckRunner: LocalCheckRunner? = nil,
        checkTarget: String = "the agents' trainer", maxCheckShares: Int = 2, minCheckAgents: Int = 1
    ) {
        self.host = host
        self.port = port
        self.databasePath = databasePath
        self.plan = plan
        self.tls = tls
        self.allowedAgents = allowedAgents
        self.reportDirectory = reportDirectory
        self.timeScale = timeScale
        self.forceNew = forceNew
        self.leaseSeconds = leaseSeconds
        self.heartbeatIntervalMS = heartbeatIntervalMS
        self.heartbeatTimeoutMS = heartbeatTimeoutMS
        self.helloTimeoutSeconds = helloTimeoutSeconds
        self.shutdownGraceSeconds = shutdownGraceSeconds
        self.drainGraceSeconds = drainGraceSeconds
        self.progressIntervalSeconds = progressIntervalSeconds
        self.wire = wire
        self.localCheckRunner = localCheckRunner
        self.checkTarget = checkTarget
        self.maxCheckShares = maxCheckShares
        self.minCheckAgents = minCheckAgents
    }

    /// Checks ranges and the relation between heartbeats and leases.
    public func validate() throws(CoordinatorError) {
        func fail(_ reason: String) -> CoordinatorError {
            CoordinatorError(.configuration, operation: "check configuration", reason: reason)
        }
        guard (0...65_535).contains(port) else { throw fail("port must be 0...65535, got \(port)") }
        guard timeScale.isFinite, timeScale >= 0 else { throw fail("time scale must be >= 0") }
        guard heartbeatIntervalMS >= 1 else { throw fail("heartbeat interval must be at least 1 ms") }
        guard heartbeatTimeoutMS >= heartbeatIntervalMS else {
            throw fail("heartbeat timeout (\(heartbeatTimeoutMS) ms) must be at least the interval "
                       + "(\(heartbeatIntervalMS) ms)")
        }
        guard leaseSeconds.isFinite, leaseSeconds * 1000 >= Double(2 * heartbeatIntervalMS) else {
            throw fail("the lease (\(leaseSeconds) s) must cover at least two heartbeat intervals "
                       + "(\(heartbeatIntervalMS) ms), or live attempts would expire between heartbeats")
        }
        guard leaseSeconds * 1000 <= Double(Int32.max) else { throw fail("the lease is too long") }
        guard maxCheckShares >= 1 else { throw fail("a concurrent check needs at least 1 share") }
        guard minCheckAgents >= 1 else { throw fail("the test suite needs at least 1 agent") }
        guard maxConnectionsAwaitingHello >= 1 else { throw fail("at least 1 connection must be allowed to say hello") }
        for (name, value) in [("hello timeout", helloTimeoutSeconds), ("shutdown grace", shutdownGraceSeconds),
                              ("drain grace", drainGraceSeconds), ("progress interval", progressIntervalSeconds)]
        where !(value.isFinite && value > 0) {
            throw fail("\(name) must be > 0")
        }
    }
}
