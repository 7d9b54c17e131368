/// Lets collector slots wait until another slot finishes a job, instead of polling.
///
/// Waiting is relative to a generation read *before* the decision to wait, so a completion that happens between
/// the decision and the wait is never missed. Cancellation of the waiting task ends the wait.
actor CompletionSignal {
    private var generation = 0
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextWaiter = 0

    /// The current generation; pass it to `wait(since:)`.
    var current: Int { generation }

    /// Returns once a `fire()` happened after `since` (at once if one already did), or the task is cancelled.
    func wait(since: Int) async {
        guard generation == since, !Task.isCancelled else { return }
        let id = nextWaiter
        nextWaiter += 1
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled || generation != since {
                    continuation.resume()
                } else {
                    waiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    /// Wakes every waiter and starts a new generation.
    func fire() {
        generation += 1
        let current = waiters.values
        waiters.removeAll()
        for waiter in current { waiter.resume() }
    }

    private func cancel(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume()
    }
}
