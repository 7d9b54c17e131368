import BenchJSON
import BenchProtocol
import BenchWire
import Synchronization

/// Messages waiting to be written to one agent connection.
///
/// Anyone (the scheduler, the heartbeat timer) appends without waiting; the connection's writer takes everything
/// queued at once and writes it with a single flush, so many acks and assigns share one TLS record and syscall and
/// a heartbeat is never stuck behind the store. After ``close(farewell:)`` the writer sends what is queued, then
/// the farewell (`bye`), then stops.
final class OutboundMailbox: Sendable {
    private struct State {
        var queued: [WireMessage] = []
        var waiter: CheckedContinuation<Void, Never>?
        var closed = false
        var farewell: WireMessage?
    }

    private let state = Mutex(State())

    /// Queues `messages`. Returns false (and drops them) once the mailbox is closed.
    @discardableResult
    func send(_ messages: [WireMessage]) -> Bool {
        let (accepted, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
            guard !state.closed else { return (false, nil) }
            guard !messages.isEmpty else { return (true, nil) }
            state.queued.append(contentsOf: messages)
            defer { state.waiter = nil }
            return (true, state.waiter)
        }
        waiter?.resume()
        return accepted
    }

    /// Queues one message.
    @discardableResult
    func send(_ message: WireMessage) -> Bool { send([message]) }

    /// Stops accepting messages; the writer delivers what is queued, then `farewell`, then ends. Idempotent (the
    /// first farewell wins).
    func close(farewell: WireMessage?) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.closed else { return nil }
            state.closed = true
            state.farewell = farewell
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    var isClosed: Bool { state.withLock { $0.closed } }

    /// Everything queued (with the farewell appended once closed), waiting until there is something; nil once
    /// closed and delivered. Only one writer may call it. Cancellation closes the mailbox.
    func next() async -> [WireMessage]? {
        while true {
            let taken = state.withLock { state -> [WireMessage]?? in
                if !state.queued.isEmpty || state.closed {
                    var batch = state.queued
                    state.queued = []
                    if state.closed, let farewell = state.farewell {
                        batch.append(farewell)
                        state.farewell = nil
                    }
                    return batch.isEmpty ? .some(nil) : .some(batch)
                }
                return .none
            }
            if let taken { return taken }
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let resumeNow = state.withLock { state -> Bool in
                        if !state.queued.isEmpty || state.closed { return true }
                        state.waiter = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                close(farewell: nil)
            }
        }
    }
}
