import BenchJSON
extension WireMessage {
    /// Coordinator → agent: run one attempt of a task.
    public struct Assign: Sendable, Hashable {
        /// The task and attempt.
        public var task: TaskRef
        /// What to run.
        public var kind: TaskKind
        /// How long the assignment stays valid without a sign of life (heartbeat listing it, `started`, `progress`),
        /// in milliseconds (at least 1).
        public var leaseMS: Int
        /// How long the agent lets the task itself run before giving up and reporting a timeout, in milliseconds.
        public var timeoutMS: Int
        /// For `train`: the `POST /train` body. For `check`: the check specification.
        public var payload: JSONValue
        /// Path on the trainer to call instead of the agent's default (`/train`), if any.
        public var trainerPath: String?
        /// The side of an A/B collection this attempt measures (`baseline`/`candidate`); nil with one target.
        public var target: String?
        /// Base URL of that side's trainer: the agent calls it instead of its `--trainer-url`. Only agents that
        /// announce ``WireFeature/abTargets`` in `hello` receive it (docs/protocol.md, "A/B collections").
        public var targetURL: String?
        /// Run this attempt in the slot of `after` once `after` has finished (the second half of an A/B pair, run
        /// back to back on one slot); at once in a free slot when the agent holds no unfinished `after`.
        public var after: TaskRef?

        /// Creates an assignment.
        public init(
            task: TaskRef,
            kind: TaskKind,
            leaseMS: Int,
            timeoutMS: Int,
            payload: JSONValue,
            trainerPath: String? = nil,
            target: String? = nil,
            targetURL: String? = nil,
            after: TaskRef? = nil
        ) {
            self.task = task
            self.kind = kind
            self.leaseMS = leaseMS
            self.timeoutMS = timeoutMS
            self.payload = payload
            self.trainerPath = trainerPath
            self.target = target
            self.targetURL = targetURL
            self.after = after
        }
    }

    /// Agent → coordinator: the attempt has started executing.
    public struct Started: Sendable, Hashable {
        /// The task and attempt.
        public var task: TaskRef
        /// When execution began (agent's wall clock).
        public var startedAt: WireTimestamp

        /// Creates a started notice.
        public init(task: TaskRef, startedAt: WireTimestamp) {
            self.task = task
            self.startedAt = startedAt
        }
    }

    /// Agent → coordinator: an informational update on a running attempt.
    public struct Progress: Sendable, Hashable {
        /// The task and attempt.
        public var task: TaskRef
        /// What is happening, for humans.
        public var message: String
        /// Completed share between 0 and 1, if known.
        public var fraction: Double?

        /// Creates a progress report.
        public init(task: TaskRef, message: String, fraction: Double? = nil) {
            self.task = task
            self.message = message
            self.fraction = fraction
        }
    }

    /// Agent → coordinator: the attempt finished; `outcome` is the measurement (successful or not).
    ///
    /// The agent keeps the result in its outbox and resends it after reconnecting until it receives `ack`.
    public struct TaskResult: Sendable, Hashable {
        /// The task and attempt.
        public var task: TaskRef
        /// The measurement, including trainer failures (a failed training is a result, not an error).
        public var outcome: JSONValue
        /// When execution ended (agent's wall clock).
        public var finishedAt: WireTimestamp

        /// Creates a result.
        public init(task: TaskRef, outcome: JSONValue, finishedAt: WireTimestamp) {
            self.task = task
            self.outcome = outcome
            self.finishedAt = finishedAt
        }
    }

    /// Coordinator → agent: the result of `task` is durably handled; the agent may delete it from its outbox
    /// (``AckStatus/refused``: keep it on disk, marked refused, and stop resending it).
    public struct Ack: Sendable, Hashable {
        /// The task and attempt of the acknowledged result.
        public var task: TaskRef
        /// What the coordinator did with it.
        public var status: AckStatus
        /// Why the result was refused: present exactly when `status` is ``AckStatus/refused``.
        public var reason: String?

        /// Creates an acknowledgement; `reason` must be given for ``AckStatus/refused`` and only for it.
        public init(task: TaskRef, status: AckStatus, reason: String? = nil) {
            self.task = task
            self.status = status
            self.reason = reason
        }
    }

    /// Coordinator → agent: stop executing an attempt; it is no longer the agent's. A result that already exists
    /// may still be delivered; the coordinator acknowledges it as ``AckStatus/stale``.
    public struct Cancel: Sendable, Hashable {
        /// The task and attempt to drop.
        public var task: TaskRef
        /// Why, for logs.
        public var reason: String

        /// Creates a cancellation.
        public init(task: TaskRef, reason: String) {
            self.task = task
            self.reason = reason
        }
    }
}
