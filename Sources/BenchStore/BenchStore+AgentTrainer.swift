import Foundation
import GRDB

/// An agent that said it cannot reach its trainer (`trainer_unreachable` in `hello` or `heartbeat`).
public struct UnreachableTrainer: Sendable, Equatable {
    /// The agent (certificate identity).
    public let agent: String
    /// What the agent said, e.g. `connection refused (http://10.0.0.7:8080)`.
    public let reason: String
    /// When the coordinator first heard it (this spell).
    public let since: Date

    public init(agent: String, reason: String, since: Date) {
        self.agent = agent
        self.reason = reason
        self.since = since
    }
}

extension BenchStore {
    /// Agents whose last word was that their trainer is unreachable, by name.
    public func unreachableTrainers(collectionID: String) throws(StoreError) -> [UnreachableTrainer] {
        []
    }
}
