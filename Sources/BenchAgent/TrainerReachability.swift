import Logging
import NIOConcurrencyHelpers

/// Whether the agent can reach its trainer, and the loop that finds out again while it cannot.
///
/// A trainer the agent cannot connect to (refused, no such host, unreachable, connect timeout) is the agent's setup
/// failing, never a measurement: the agent checks `GET /health` before its first `hello` and after every failed
/// connection of an attempt; any HTTP answer (even 503 or 404) means reachable. While unreachable, `hello` and every
/// `heartbeat` carry `trainer_unreachable` (the coordinator assigns nothing), an attempt that finds no trainer is
/// reported as a harness failure, and ``monitor()`` checks `/health` every `checkInterval` until it answers.
final class TrainerReachability: Sendable {
    let client: TrainerClient
    let checkInterval: Duration
    let name: String
    let logger: Logger
    let events: @Sendable (AgentEvent) -> Void
    private let state = NIOLockedValueBox<String?>(nil)

    init(client: TrainerClient, checkInterval: Duration, name: String, logger: Logger,
         events: @escaping @Sendable (AgentEvent) -> Void) {
        self.client = client
        self.checkInterval = checkInterval
        self.name = name
        self.logger = logger
        self.events = events
    }

    /// Why the trainer is unreachable (what `hello` and `heartbeat` say), nil while it is reachable.
    var unreachableReason: String? { state.withLockedValue { $0 } }

    /// Checks `/health` now and records the answer. Returns the reason when the trainer cannot be reached.
    @discardableResult
    func check() async -> String? {
        guard let found = try? await client.unreachableReason() else {
            update(nil)
            return nil
        }
        update(found.text)
        return found.text
    }

    /// An attempt could not connect to the trainer: returns why (and the agent stops taking work) when `/health`
    /// cannot be reached either, nil when the trainer answers (the failed call is then a measurement like any other).
    func confirmUnreachable() async -> String? {
        await check()
    }

    /// While the trainer is unreachable, checks `/health` every `checkInterval`; returns when cancelled.
    func monitor() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: checkInterval)
            } catch {
                return
            }
            if unreachableReason != nil { await check() }
        }
    }

    private func update(_ reason: String?) {
        let previous = state.withLockedValue { value -> String? in
            defer { value = reason }
            return value
        }
        switch (previous, reason) {
        case (nil, let reason?):
            let text = "agent \(name) cannot reach its trainer (\(reason)); taking no work until GET /health "
                + "answers (checked every \(checkInterval))"
            logger.warning("\(text)")
            events(.trainerUnreachable(reason: reason))
        case (_?, nil):
            logger.notice("agent \(name): the trainer at \(client.baseURL) answers again; taking work")
            events(.trainerReachable)
        default:
            break
        }
    }
}
