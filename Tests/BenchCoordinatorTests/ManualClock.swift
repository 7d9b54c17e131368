import BenchCoordinator
import Foundation
import NIOConcurrencyHelpers

/// A clock that moves only when the test says so; sleepers wake when `advance` passes their deadline.
final class ManualClock: CoordinatorClock {
    private struct Sleeper {
        let deadline: Date
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [Int: Sleeper] = [:]
        var nextID = 0
    }

    private let state: NIOLockedValueBox<State>

    init(start: Date = Date()) {
        state = NIOLockedValueBox(State(now: start))
    }

    func now() -> Date { state.withLockedValue { $0.now } }

    /// Sleepers currently waiting (to know that a timer has been armed before advancing).
    var sleeperCount: Int { state.withLockedValue { $0.sleepers.count } }

    func sleep(until deadline: Date) async throws {
        let id = state.withLockedValue { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // A cancellation that came before this point found no sleeper to wake (`onCancel` ran first): seen
                // under the lock, so the sleeper is either refused here or registered before `onCancel` looks. (An
                // ASan run caught the race: a cancelled coordinator's watchdog slept forever, reported as a leak.)
                let resumeNow: Bool? = state.withLockedValue { state in
                    if Task.isCancelled { return nil }
                    if deadline <= state.now { return true }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return false
                }
                switch resumeNow {
                case nil: continuation.resume(throwing: CancellationError())
                case true?: continuation.resume()
                case false?: break
                }
            }
        } onCancel: {
            let sleeper = state.withLockedValue { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }

    /// Moves time forward and wakes every sleeper whose deadline has come.
    func advance(by seconds: TimeInterval) {
        let due = state.withLockedValue { state -> [Sleeper] in
            state.now = state.now.addingTimeInterval(seconds)
            let now = state.now
            let ids = state.sleepers.filter { $0.value.deadline <= now }.map(\.key)
            return ids.compactMap { state.sleepers.removeValue(forKey: $0) }
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}
