#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A named place where a test can make the process die on purpose, as a SIGKILL would: no cleanup, no flush, no
/// rollback. The reliability tests (docs/reliability.md) arm one point, let the process die there, restart it
/// without the point and check that nothing was lost or counted twice.
///
/// Never on by accident: a point is armed only when **both** environment variables are set,
///
///     MMMBENCH_CRASH_POINTS=1  MMMBENCH_CRASH_AT=<point>[:<n>]
///
/// and `mmmbench coordinator`, `agent` and `collect` call ``arm(environment:)`` first thing; the library only ever
/// reads the armed state, never the environment. `<n>` (default 1) crashes at the n-th time the point is reached.
/// An armed process says so loudly on stderr at start and again just before it dies. `MMMBENCH_CRASH_AT` without
/// `MMMBENCH_CRASH_POINTS=1` is ignored with a warning.
///
/// Call sites are one line: `CrashPoint.reach(.commitBeforeAck)`. Unarmed, that is one uncontended lock.
public enum CrashPoint: String, CaseIterable, Sendable {
    /// Coordinator (and `collect`): an attempt's lease is committed, its `assign` not yet sent (in `collect`: the
    /// job is leased, the trainer not yet called).
    case leaseBeforeAssign = "lease-before-assign"
    /// Coordinator (and `collect`): a result was received (`collect`: the trainer answered), not yet committed.
    case resultBeforeCommit = "result-before-commit"
    /// Coordinator (and `collect`): a result is committed, its `ack` not yet sent (`collect`: not yet reported).
    case commitBeforeAck = "commit-before-ack"
    /// Any process opening a collection database: inside the transaction of the newest store migration, so the
    /// next start must run it again.
    case migration = "migration"
    /// Agent: the trainer answered, the result is not yet written to the outbox.
    case agentAfterTrainer = "agent-after-trainer"
    /// Agent: the result is committed to the outbox, not yet sent to the coordinator.
    case agentAfterOutbox = "agent-after-outbox"

    /// The environment variable naming the point (and optionally the hit): `commit-before-ack:3`.
    public static let pointVariable = "MMMBENCH_CRASH_AT"
    /// The environment variable that must be `1` for ``pointVariable`` to take effect.
    public static let enableVariable = "MMMBENCH_CRASH_POINTS"

    /// What ``arm(environment:)`` did, for the caller to log.
    public enum Arming: Sendable, Equatable {
        /// No `MMMBENCH_CRASH_AT`: nothing armed.
        case off
        /// `MMMBENCH_CRASH_AT` was set without `MMMBENCH_CRASH_POINTS=1`: ignored.
        case ignored(String)
        /// Armed: the process dies at the `hit`-th time `point` is reached.
        case armed(CrashPoint, hit: Int)

        /// The line to log, nil when there is nothing to say.
        public var message: String? {
            switch self {
            case .off:
                return nil
            case .ignored(let value):
                return "warning: \(CrashPoint.pointVariable)=\(value) ignored: crash points need "
                    + "\(CrashPoint.enableVariable)=1 as well (they are for reliability tests only)"
            case .armed(let point, let hit):
                return "CRASH POINT ARMED: this process will kill itself (SIGKILL) the \(Self.ordinal(hit)) time it "
                    + "reaches '\(point.rawValue)' (\(CrashPoint.pointVariable)); for reliability tests only"
            }
        }

        static func ordinal(_ n: Int) -> String {
            let suffix = (11...13).contains(n % 100) ? "th" : [1: "st", 2: "nd", 3: "rd"][n % 10] ?? "th"
            return "\(n)\(suffix)"
        }
    }

    /// A `MMMBENCH_CRASH_AT` value that names no point or no valid hit number.
    public struct InvalidSetting: Error, CustomStringConvertible, Sendable {
        public let value: String
        public var description: String {
            "\(CrashPoint.pointVariable)=\(value): expected <point> or <point>:<n> (n >= 1) with <point> one of "
                + CrashPoint.allCases.map(\.rawValue).joined(separator: ", ")
        }
    }

    private struct Armed: Sendable {
        var point: CrashPoint
        var hit: Int
        var reached = 0
    }

    private static let state = PThreadLockedValue<Armed?>(nil)

    /// Reads the two variables from `environment` and arms the point they name (replacing any earlier arming).
    /// - Throws: ``InvalidSetting`` when enabled with a value that names no point.
    @discardableResult
    public static func arm(environment: [String: String]) throws(InvalidSetting) -> Arming {
        let arming = try arming(environment: environment)
        state.withLock { state in
            if case .armed(let point, let hit) = arming { state = Armed(point: point, hit: hit) } else { state = nil }
        }
        return arming
    }

    /// What `environment` asks for, without arming anything (pure).
    public static func arming(environment: [String: String]) throws(InvalidSetting) -> Arming {
        guard let value = environment[pointVariable], !value.isEmpty else { return .off }
        guard environment[enableVariable] == "1" else { return .ignored(value) }
        let parts = value.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let point = CrashPoint(rawValue: String(parts[0])) else { throw InvalidSetting(value: value) }
        guard parts.count == 2 else { return .armed(point, hit: 1) }
        guard let hit = Int(parts[1]), hit >= 1 else { throw InvalidSetting(value: value) }
        return .armed(point, hit: hit)
    }

    /// Counts a pass through `point`; at the armed hit, says so on stderr and kills the process with SIGKILL.
    public static func reach(_ point: CrashPoint) {
        let die = state.withLock { armed -> Bool in
            guard armed?.point == point else { return false }
            armed?.reached += 1
            return armed?.reached == armed?.hit
        }
        guard die else { return }
        let line = "CRASH POINT '\(point.rawValue)' reached: killing this process (pid \(getpid())) now\n"
        _ = line.utf8CString.withUnsafeBufferPointer { write(STDERR_FILENO, $0.baseAddress, $0.count - 1) }
        kill(getpid(), SIGKILL)
        // SIGKILL cannot be caught; should it somehow return, still never run on.
        _exit(137)
    }
}
