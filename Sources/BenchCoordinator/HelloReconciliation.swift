/// What a (re)connecting agent's `hello` means for the attempts the coordinator believes it holds.
///
/// - `reattached`: listed in `running` and still the agent's current attempt: it keeps running it (lease renewed).
/// - `cancelled`: listed in `running` but no longer the agent's (expired, re-assigned, done, never its own): drop.
/// - `lost`: held by the agent but listed neither in `running` nor in `queued_results`: the agent no longer has
///   it (killed and restarted without it); the coordinator closes it at once as a harness failure. It appears in
///   neither list of the `welcome`.
/// Attempts listed in `queued_results` stay assigned: their result follows right after the `welcome`.
struct HelloReconciliation: Equatable, Sendable {
    var reattached: [TaskKey] = []
    var cancelled: [TaskKey] = []
    var lost: [TaskKey] = []

    /// - Parameters:
    ///   - held: the agent's current assigned attempts without a result, as the board knows them.
    ///   - running: the hello's `running`.
    ///   - queued: the hello's `queued_results`.
    ///   - leasing: whether an attempt is being assigned to this agent right now (its `assign` is on the way).
    init(held: [TaskKey], running: [TaskKey], queued: [TaskKey], leasing: (TaskKey) -> Bool = { _ in false }) {
        let heldSet = Set(held)
        var seen = Set<TaskKey>()
        for task in running where seen.insert(task).inserted {
            if heldSet.contains(task) {
                reattached.append(task)
            } else if !leasing(task) {
                cancelled.append(task)
            }
        }
        let queuedSet = Set(queued)
        lost = held.filter { !seen.contains($0) && !queuedSet.contains($0) }
    }
}
