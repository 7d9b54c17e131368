import BenchJSON
extension WireMessage {
    /// Agent → coordinator, the first frame of every session.
    ///
    /// The agent's identity is its certificate; `agentID` is informational. `running` and `queuedResults` let a
    /// reconnecting agent re-attach to attempts it still executes and announce results waiting in its outbox.
    public struct Hello: Sendable, Hashable {
        /// The protocol version the agent speaks (``WireProtocol/version``).
        public var protocolVersion: Int
        /// The agent's own name for itself (informational; the certificate decides).
        public var agentID: String
        /// How many tasks the agent runs at once (at least 1).
        public var slots: Int
        /// Free-form labels (`region`, `host`, ...), matched by the coordinator's scheduling rules.
        public var labels: [String: String]
        /// Attempts the agent is still executing from an earlier session.
        public var running: [TaskRef]
        /// Attempts whose `result` is in the agent's outbox and not yet acknowledged.
        public var queuedResults: [TaskRef]
        /// The agent's software name and version, for diagnostics.
        public var software: String?
        /// Optional protocol features the agent implements (``WireFeature``); absent on the wire = none.
        public var features: [String]
        /// Present while the agent cannot reach its trainer (why, e.g. `connection refused`): it takes no work.
        public var trainerUnreachable: String?

        /// Creates a hello for the current protocol version.
        public init(
            protocolVersion: Int = WireProtocol.version,
            agentID: String,
            slots: Int,
            labels: [String: String] = [:],
            running: [TaskRef] = [],
            queuedResults: [TaskRef] = [],
            software: String? = nil,
            features: [String] = [],
            trainerUnreachable: String? = nil
        ) {
            self.protocolVersion = protocolVersion
            self.agentID = agentID
            self.slots = slots
            self.labels = labels
            self.running = running
            self.queuedResults = queuedResults
            self.software = software
            self.features = features
            self.trainerUnreachable = trainerUnreachable
        }
    }

    /// Coordinator → agent: the session is accepted.
    public struct Welcome: Sendable, Hashable {
        /// The protocol version of the session (``WireProtocol/version``).
        public var protocolVersion: Int
        /// The agent's name as authenticated from its certificate.
        public var agentID: String
        /// The collection the coordinator is running.
        public var collectionID: String
        /// How often each side sends `heartbeat`, in milliseconds (at least 1).
        public var heartbeatIntervalMS: Int
        /// Silence after which either side may consider the peer gone, in milliseconds (at least the interval).
        public var heartbeatTimeoutMS: Int
        /// Attempts from the hello's `running` that are still assigned to this agent: keep running them.
        public var reattached: [TaskRef]
        /// Attempts the agent must drop because they are no longer its own.
        public var cancelled: [TaskRef]

        /// Creates a welcome for the current protocol version.
        public init(
            protocolVersion: Int = WireProtocol.version,
            agentID: String,
            collectionID: String,
            heartbeatIntervalMS: Int,
            heartbeatTimeoutMS: Int,
            reattached: [TaskRef] = [],
            cancelled: [TaskRef] = []
        ) {
            self.protocolVersion = protocolVersion
            self.agentID = agentID
            self.collectionID = collectionID
            self.heartbeatIntervalMS = heartbeatIntervalMS
            self.heartbeatTimeoutMS = heartbeatTimeoutMS
            self.reattached = reattached
            self.cancelled = cancelled
        }
    }

    /// Coordinator → agent: the session is refused; the coordinator closes the connection after sending it.
    public struct Reject: Sendable, Hashable {
        /// Machine-readable reason.
        public var code: RejectCode
        /// Human-readable explanation.
        public var reason: String

        /// Creates a reject.
        public init(code: RejectCode, reason: String) {
            self.code = code
            self.reason = reason
        }
    }

    /// Either side: a periodic liveness signal.
    public struct Heartbeat: Sendable, Hashable {
        /// The sender's monotonic clock in milliseconds (only differences between a sender's own values mean
        /// anything).
        public var sentAtMS: Int64
        /// From an agent: the attempts it is executing. From the coordinator: empty.
        public var running: [TaskRef]
        /// From an agent: present while it cannot reach its trainer (why); it takes no work until a heartbeat
        /// without it. From the coordinator: always absent.
        public var trainerUnreachable: String?

        /// Creates a heartbeat.
        public init(sentAtMS: Int64, running: [TaskRef] = [], trainerUnreachable: String? = nil) {
            self.sentAtMS = sentAtMS
            self.running = running
            self.trainerUnreachable = trainerUnreachable
        }
    }

    /// Coordinator → agent: finish what is running, expect no new assignments; the coordinator is stopping or
    /// the collection is complete.
    public struct Drain: Sendable, Hashable {
        /// Why the coordinator drains.
        public var reason: String

        /// Creates a drain.
        public init(reason: String) { self.reason = reason }
    }

    /// Either side: the sender is about to close the connection on purpose.
    public struct Bye: Sendable, Hashable {
        /// Why the sender closes.
        public var reason: String

        /// Creates a bye.
        public init(reason: String) { self.reason = reason }
    }
}
