import NIOConcurrencyHelpers

/// Requests to re-read TLS files, from whoever owns the process's signals (the CLI turns SIGHUP into ``fire()``)
/// to the parts that hold ``ReloadableTLSContext``s (coordinator and agent subscribe while they run).
public final class TLSReloadTrigger: Sendable {
    private let handlers = NIOLockedValueBox<(next: Int, byID: [Int: @Sendable () -> Void])>((0, [:]))

    public init() {}

    /// Calls `handler` on every ``fire()`` until ``unsubscribe(_:)`` with the returned id.
    @discardableResult
    public func subscribe(_ handler: @escaping @Sendable () -> Void) -> Int {
        handlers.withLockedValue { state in
            state.next += 1
            state.byID[state.next] = handler
            return state.next
        }
    }

    /// Stops calling the handler registered under `id`.
    public func unsubscribe(_ id: Int) {
        _ = handlers.withLockedValue { $0.byID.removeValue(forKey: id) }
    }

    /// Calls every subscribed handler (in subscription order, on the calling thread).
    public func fire() {
        let current = handlers.withLockedValue { $0.byID.sorted { $0.key < $1.key }.map(\.value) }
        for handler in current { handler() }
    }
}
