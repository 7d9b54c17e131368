import Foundation
import GRDB

/// An assigned attempt that no agent had reported when a coordinator started (see
/// ``BenchStore/inheritUnconfirmedAssignments(collectionID:)``).
public struct InheritedAttempt: Sendable, Equatable {
    /// The job.
    public let jobID: String
    /// The attempt.
    public let attempt: Int
    /// The agent it was assigned to.
    public let agent: String

    public init(jobID: String, attempt: Int, agent: String) {
        self.jobID = jobID
        self.attempt = attempt
        self.agent = agent
    }
}

extension BenchStore {
    /// Called by a coordinator as it starts, before it closes anything: marks every running attempt that no agent
    /// has reported yet as inherited from an earlier coordinator process, and returns them.
    public func inheritUnconfirmedAssignments(collectionID: String) throws(StoreError) -> [InheritedAttempt] {
        []
    }
}
