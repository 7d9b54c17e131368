import BenchJSON
import BenchProtocol
import BenchTLS
import BenchWire

/// Everything an agent needs (`mmmbench agent` builds one from its flags).
public struct AgentConfiguration: Sendable {
    /// The coordinator's host name or address, as dialled.
    public var coordinatorHost: String
    /// The coordinator's TCP port.
    public var coordinatorPort: Int
    /// The name the coordinator's certificate must carry (DNS or IP subjectAltName); default: ``coordinatorHost``.
    public var serverName: String
    /// The agent's certificate and key and the deployment's CA.
    public var tls: TLSConfiguration
    /// The trainer's base URL (`http://HOST:PORT`); nil when ``skipTrainer`` is set.
    public var trainerURL: String?
    /// Attempts run at once (`hello.slots`).
    public var slots: Int
    /// Labels announced in `hello` (the coordinator routes labelled jobs by them).
    public var labels: [String: String]
    /// The outbox file (SQLite), kept across restarts of the agent.
    public var outboxPath: String
    /// The agent's name for itself in `hello` and in measurements; default: its certificate's CN.
    public var agentID: String?
    /// Answer every `train` task at once with a synthetic success, without calling the trainer (for measuring the
    /// coordinator's dispatch capacity).
    public var skipTrainer: Bool
    /// Waits between connection attempts.
    public var backoff: ReconnectBackoff
    /// Stop (``AgentError/Code/noSession``) after this long without a welcomed session, counted from the start
    /// and from the end of each welcomed session; nil (the default) keeps trying for as long as the agent runs, as
    /// a daemon does.
    public var giveUpAfter: Duration?
    /// How long to wait for `welcome` or `reject` after `hello`.
    public var welcomeTimeout: Duration
    /// Limit of the TCP connect (the TLS handshake has its own, in ``tls``).
    public var connectTimeout: Duration
    /// Frame limit and buffering of the connection.
    public var wire: WireConfiguration
    /// `hello.software`.
    public var software: String
    /// Re-read certificate, key and CA when this fires (`mmmbench agent` fires it on SIGHUP): the next connection
    /// uses the new files, the running session goes on. nil: never reloaded.
    public var tlsReloadTrigger: TLSReloadTrigger?
    /// The agent's `/metrics` (`agent --http`): trainer call durations and the outbox at start are recorded here;
    /// events go to it through the agent's `events` callback, wire bytes through ``wire``'s counter. nil: none.
    public var metrics: AgentMetrics?
    /// How often the agent checks the trainer's `/health` while the trainer is unreachable (it takes no work then).
    public var trainerCheckInterval: Duration

    /// Creates a configuration with the protocol's defaults for everything optional.
    public init(
        coordinatorHost: String,
        coordinatorPort: Int,
        serverName: String? = nil,
        tls: TLSConfiguration,
        trainerURL: String?,
        slots: Int = 1,
        labels: [String: String] = [:],
        outboxPath: String,
        agentID: String? = nil,
        skipTrainer: Bool = false,
        backoff: ReconnectBackoff = .standard,
        giveUpAfter: Duration? = nil,
        welcomeTimeout: Duration = .seconds(30),
        connectTimeout: Duration = .seconds(10),
        wire: WireConfiguration = WireConfiguration(),
        software: String = Self.defaultSoftware,
        trainerCheckInterval: Duration = .seconds(5)
    ) {
        self.coordinatorHost = coordinatorHost
        self.coordinatorPort = coordinatorPort
        self.serverName = serverName ?? coordinatorHost
        self.tls = tls
        self.trainerURL = trainerURL
        self.slots = slots
        self.labels = labels
        self.outboxPath = outboxPath
        self.agentID = agentID
        self.skipTrainer = skipTrainer
        self.backoff = backoff
        self.giveUpAfter = giveUpAfter
        self.welcomeTimeout = welcomeTimeout
        self.connectTimeout = connectTimeout
        self.wire = wire
        self.software = software
        self.trainerCheckInterval = trainerCheckInterval
    }

    /// `hello.software` unless configured otherwise.
    public static let defaultSoftware = "mmmbench-agent/0.1"

    /// `HOST:PORT` of the coordinator (IPv6 hosts in brackets).
    public var coordinatorAddress: String {
        let host = coordinatorHost.contains(":") ? "[\(coordinatorHost)]" : coordinatorHost
        return "\(host):\(coordinatorPort)"
    }

    /// Checks what can be checked without I/O.
    public func validate() throws(AgentError) {
        func invalid(_ reason: String) -> AgentError {
            AgentError(.configuration, operation: "configure", reason: reason)
        }
        guard !coordinatorHost.isEmpty else { throw invalid("the coordinator host is empty") }
        guard (1...65_535).contains(coordinatorPort) else {
            throw invalid("coordinator port \(coordinatorPort) is not 1...65535")
        }
        guard !serverName.isEmpty else { throw invalid("the coordinator's certificate name is empty") }
        guard (1...100_000).contains(slots) else { throw invalid("slots must be 1...100000, got \(slots)") }
        guard skipTrainer || !(trainerURL ?? "").isEmpty else {
            throw invalid("a trainer URL is needed (or skip the trainer)")
        }
        guard !outboxPath.isEmpty else { throw invalid("the outbox path is empty") }
        guard welcomeTimeout > .zero, connectTimeout > .zero else { throw invalid("timeouts must be positive") }
        if let giveUpAfter, giveUpAfter <= .zero { throw invalid("the give-up time must be positive") }
        guard trainerCheckInterval > .zero else { throw invalid("the trainer check interval must be positive") }
    }
}
