import BenchCore
import Foundation

/// A run of the optimization test suite as stored: where it ran, against what, with which settings.
public struct CheckSuiteRun: Sendable, Equatable {
    public let id: String
    /// The collection it belongs to; nil for a standalone run in a database without a collection.
    public let collectionID: String?
    public let phase: CheckPhase
    /// The trainer's base URL.
    public let target: String
    public let startedAt: Date
    /// Set once every check has an outcome (`completeSuiteRun`).
    public let completedAt: Date?
    public let disabled: [CheckKind]
    /// The settings the outcomes were judged against.
    public let settings: CheckSettings

    public init(
        id: String, collectionID: String?, phase: CheckPhase, target: String, startedAt: Date,
        completedAt: Date? = nil, disabled: [CheckKind] = [], settings: CheckSettings = CheckSettings()
    ) {
        self.id = id
        self.collectionID = collectionID
        self.phase = phase
        self.target = target
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.disabled = disabled
        self.settings = settings
    }
}
