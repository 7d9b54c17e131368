import BenchProtocol
import NIOConcurrencyHelpers

/// The messages waiting to be written on one connection (agent or coordinator end), handed to its single writer
/// task in batches.
///
/// Producers (the scheduler or the attempt table, heartbeat timers, the inbound loop) never wait on the network:
/// ``send(contentsOf:)`` appends under a lock. The writer takes everything buffered at once (``next()``), so
/// messages produced together leave in one write and one flush (one TLS record and syscall for many acks, assigns
/// or results), and a heartbeat is never stuck behind a database commit.
///
/// A `started` can be held back (``hold(started:)``) until the next heartbeat goes out, just before it; if the
/// attempt's `result` is sent first, the `started` is dropped: the result says more, and a short attempt then costs
/// one message instead of two.
///
/// ``close(farewell:discardingQueued:)`` ends the queue: the writer gets what is queued (unless discarded), then the
/// farewell (a `bye`), then nil.
public final class OutboundMessageQueue: Sendable {
    private struct State {
        var buffer: [WireMessage] = []
        var waiter: CheckedContinuation<[WireMessage]?, Never>?
        var closed = false
        var farewell: WireMessage?
        /// `started` messages waiting for the next heartbeat, oldest first; dropped once their result is sent.
        var held: [WireMessage.Started] = []
        var heldTasks: Set<TaskRef> = []

        /// What the writer gets now: a batch, nil when closed and delivered, or `.none` to wait.
        mutating func take() -> [WireMessage]?? {
            guard !buffer.isEmpty || closed else { return .none }
            var batch = buffer
            buffer = []
            if closed, let message = farewell {
                batch.append(message)
                farewell = nil
            }
            return .some(batch.isEmpty ? nil : batch)
        }
    }

    private let state = NIOLockedValueBox(State())

    /// Creates an empty, open queue.
    public init() {}

    /// Appends a message. Returns false (and drops it) once the queue is closed.
    @discardableResult
    public func send(_ message: WireMessage) -> Bool {
        send(contentsOf: CollectionOfOne(message))
    }

    /// Appends messages in order. Returns false (and drops them) once the queue is closed.
    @discardableResult
    public func send(_ messages: [WireMessage]) -> Bool {
        send(contentsOf: messages)
    }

    /// Appends messages in order. A `result` drops the held `started` of its attempt; a `heartbeat` releases the
    /// held `started` messages ahead of it. Returns false (and drops them) once the queue is closed.
    @discardableResult
    public func send(contentsOf messages: some Sequence<WireMessage>) -> Bool {
        let (accepted, resume) = state.withLockedValue { state -> (Bool, (CheckedContinuation<[WireMessage]?, Never>,
                                                                     [WireMessage]?)?) in
            guard !state.closed else { return (false, nil) }
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
            guard let waiter = state.waiter, case .some(let batch) = state.take() else { return (true, nil) }
            state.waiter = nil
            return (true, (waiter, batch))
        }
        if let (waiter, batch) = resume { waiter.resume(returning: batch) }
        return accepted
    }

    /// Holds `started` until the next heartbeat (or drops it when the attempt's result is sent first). Does not
    /// wake the writer.
    public func hold(started: WireMessage.Started) {
        state.withLockedValue { state in
            guard !state.closed, state.heldTasks.insert(started.task).inserted else { return }
            if state.held.count > 2 * state.heldTasks.count {
                // Results dropped many held messages: forget those before the array grows.
                state.held.removeAll { !state.heldTasks.contains($0.task) }
            }
            state.held.append(started)
        }
    }

    /// Stops accepting messages; the writer gets what is queued (nothing with `discardingQueued`: the connection
    /// is gone), then `farewell`, then nil. Held `started` messages are dropped. The first farewell wins; a later
    /// close can still discard what is queued.
    public func close(farewell: WireMessage? = nil, discardingQueued: Bool = false) {
        let resume = state.withLockedValue { state -> (CheckedContinuation<[WireMessage]?, Never>, [WireMessage]?)? in
            if discardingQueued {
                state.buffer.removeAll()
            }
            guard !state.closed else { return nil }
            state.closed = true
            state.farewell = farewell
            state.held.removeAll()
            state.heldTasks.removeAll()
            guard let waiter = state.waiter, case .some(let batch) = state.take() else { return nil }
            state.waiter = nil
            return (waiter, batch)
        }
        if let (waiter, batch) = resume { waiter.resume(returning: batch) }
    }

    /// True once ``close(farewell:discardingQueued:)`` was called.
    public var isClosed: Bool { state.withLockedValue { $0.closed } }

    /// Everything buffered (with the farewell appended once closed), waiting until there is something; nil once
    /// closed and delivered. One writer only. Cancelling the waiting writer closes the queue, discarding what is
    /// queued.
    public func next() async -> [WireMessage]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[WireMessage]?, Never>) in
                let ready: [WireMessage]?? = state.withLockedValue { state in
                    if let ready = state.take() { return .some(ready) }
                    precondition(state.waiter == nil, "OutboundMessageQueue has one writer")
                    state.waiter = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            close(discardingQueued: true)
        }
    }
}
