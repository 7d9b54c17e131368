import BenchJSON
import BenchProtocol
import BenchWire
import Synchronization

/// The messages waiting to be written on one connection, handed to its writer task in batches.
///
/// Producers (the attempt table, the heartbeat timer, the inbound loop) never wait on the network: ``send(_:)``
/// appends under a lock. The single writer takes everything buffered at once (``next()``), so results finishing
/// together leave in one write and one flush.
///
/// A `started` is held back (``hold(started:)``) until the next heartbeat goes out, just before it; if the attempt's
/// `result` is sent first, the `started` is dropped: the result says more, and a short attempt then costs one
/// message instead of two. Leases do not depend on it: the heartbeat lists every running attempt.
final class OutboundQueue: Sendable {
    private struct State {
        var buffer: [WireMessage] = []
        var waiter: CheckedContinuation<[WireMessage]?, Never>?
        var finished = false
        /// `started` messages waiting for the next heartbeat, oldest first; dropped once their result is sent.
        var held: [WireMessage.Started] = []
        var heldTasks: Set<TaskRef> = []
    }

    private let state = Mutex(State())

    /// Appends a message; dropped once the queue is finished.
    func send(_ message: WireMessage) {
        send(contentsOf: CollectionOfOne(message))
    }

    /// Appends messages in order; dropped once the queue is finished. A `result` drops the held `started` of its
    /// attempt; a `heartbeat` releases the held `started` messages ahead of it.
    func send(contentsOf messages: some Sequence<WireMessage>) {
        let resume: (CheckedContinuation<[WireMessage]?, Never>, [WireMessage])? = state.withLock { state in
            guard !state.finished else { return nil }
            for message in messages {
                switch message {
                case .result(let result) where !state.heldTasks.isEmpty:
                    state.heldTasks.remove(result.task)
                case .heartbeat where !state.held.isEmpty:
                    for started in state.held where state.heldTasks.contains(started.task) {
                        state.buffer.append(.started(started))
                    }
                    state.held.removeAll(keepingCapacity: true)
                    state.heldTasks.removeAll(keepingCapacity: true)
                default:
                    break
                }
                state.buffer.append(message)
            }
            guard let waiter = state.waiter, !state.buffer.isEmpty else { return nil }
            state.waiter = nil
            let batch = state.buffer
            state.buffer = []
            return (waiter, batch)
        }
        if let (waiter, batch) = resume { waiter.resume(returning: batch) }
    }

    /// Holds `started` until the next heartbeat (or drops it when the attempt's result is sent first). Does not
    /// wake the writer.
    func hold(started: WireMessage.Started) {
        state.withLock { state in
            guard !state.finished, state.heldTasks.insert(started.task).inserted else { return }
            if state.held.count > 2 * state.heldTasks.count {
                // Results dropped many held messages: forget those before the array grows.
                state.held.removeAll { !state.heldTasks.contains($0.task) }
            }
            state.held.append(started)
        }
    }

    /// Ends the queue: the writer gets nil (messages still buffered are dropped: the connection is ending).
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<[WireMessage]?, Never>? in
            state.finished = true
            state.buffer.removeAll()
            state.held.removeAll()
            state.heldTasks.removeAll()
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Everything buffered, waiting until there is something; nil once finished or when the task is cancelled.
    /// One consumer only.
    func next() async -> [WireMessage]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[WireMessage]?, Never>) in
                let ready: [WireMessage]?? = state.withLock { state in
                    if state.finished { return .some(nil) }
                    if !state.buffer.isEmpty {
                        let batch = state.buffer
                        state.buffer = []
                        return .some(batch)
                    }
                    precondition(state.waiter == nil, "OutboundQueue has one consumer")
                    state.waiter = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            finish()
        }
    }
}
