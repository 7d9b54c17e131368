import BenchStore
import Foundation
import Logging

extension StoreWriter {
    /// Persists what an agent says about its trainer on the writer's queue (in order with the rounds) and logs it
    /// once it is written (`announce`); a failed write is logged (`status` shows the last state written).
    func recordTrainer(agent: String, unreachable reason: String?, now: Date, logger: Logger, announce: Bool) {
        queue.async { [store, collectionID] in
            do {
                try store.setTrainerUnreachable(collectionID: collectionID, agent: agent, reason: reason, now: now)
            } catch {
                logger.warning("cannot record the trainer state of agent \(agent): \(error)")
            }
            guard announce else { return }
            if let reason {
                logger.warning("agent \(agent) cannot reach its trainer (\(reason)): no work for it until it can")
            } else {
                logger.notice("agent \(agent) reaches its trainer again: it takes work")
            }
        }
    }
}
