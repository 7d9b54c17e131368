import Foundation
import GRDB

/// An agent that said it cannot reach its trainer (`trainer_unreachable` in `hello` or `heartbeat`).
public struct UnreachableTrainer: Sendable, Equatable {
    /// The agent (certificate identity).
    public let agent: String
    /// What the agent said, e.g. `cannot connect to the trainer at http://10.0.0.7:8080: connection refused`.
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
    /// Records what an agent last said about its trainer: `reason` while unreachable (the first time of a spell
    /// keeps its `since`), nil once it answers again (the row goes).
    public func setTrainerUnreachable(collectionID: String, agent: String, reason: String?, now: Date = Date())
        throws(StoreError)
    {
        try StoreError.wrap(path, "record trainer state") {
            try pool.write { db in
                try Self.setTrainerUnreachable(db, collectionID: collectionID, agent: agent, reason: reason, now: now)
            }
        }
    }

    static func setTrainerUnreachable(_ db: Database, collectionID: String, agent: String, reason: String?, now: Date)
        throws
    {
        if let reason {
            try db.execute(sql: """
                INSERT INTO agent_trainer (collection_id, agent, reason, since) VALUES (?, ?, ?, ?)
                ON CONFLICT (collection_id, agent) DO UPDATE SET reason = excluded.reason
                """, arguments: [collectionID, agent, reason, now.timeIntervalSince1970])
        } else {
            try db.execute(sql: "DELETE FROM agent_trainer WHERE collection_id = ? AND agent = ?",
                           arguments: [collectionID, agent])
        }
    }

    /// Agents whose last word was that their trainer is unreachable, by name.
    public func unreachableTrainers(collectionID: String) throws(StoreError) -> [UnreachableTrainer] {
        try StoreError.wrap(path, "read trainer states") {
            try pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT agent, reason, since FROM agent_trainer WHERE collection_id = ? ORDER BY agent
                    """, arguments: [collectionID]).map {
                    UnreachableTrainer(agent: $0["agent"], reason: $0["reason"],
                                       since: Date(timeIntervalSince1970: $0["since"]))
                }
            }
        }
    }
}
