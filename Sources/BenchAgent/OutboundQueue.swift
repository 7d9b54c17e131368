import BenchWire
import Synchronization

/// The messages waiting to be written on one connection, handed to its writer task in batches.
///
/// Producers (the attempt table, the heartbeat timer, the inbound loop) never wait on the network: ``send(_:)``
/// appends under a lock. The single writer takes everything buffered at once (``next()``), so results finishing
/// together leave in one write and one flush.
final class OutboundQueue: Sendable {
    private struct State {
        var buffer: [WireMessage] = []
        var waiter: CheckedContinuation<[WireMessage]?, Never>?
        var finished = false
    }

    private let state = Mutex(State())

    /// Appends a message; dropped once the queue is finished.
    func send(_ message: WireMessage) {
        send(contentsOf: CollectionOfOne(message))
    }

    /// Appends messages in order; dropped once the queue is finished.
    func send(contentsOf messages: some Sequence<WireMessage>) {
        let resume: (CheckedContinuation<[WireMessage]?, Never>, [WireMessage])? = state.withLock { state in
            guard !state.finished else { return nil }
            state.buffer.append(contentsOf: messages)
            guard let waiter = state.waiter, !state.buffer.isEmpty else { return nil }
            state.waiter = nil
            let batch = state.buffer
            state.buffer = []
            return (waiter, batch)
        }
        if let (waiter, batch) = resume { waiter.resume(returning: batch) }
    }

    /// Ends the queue: the writer gets nil (messages still buffered are dropped: the connection is ending).
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<[WireMessage]?, Never>? in
            state.finished = true
            state.buffer.removeAll()
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
