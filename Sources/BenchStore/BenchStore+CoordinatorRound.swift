import BenchCore
import Foundation
import GRDB

extension BenchStore {
    /// Commits one coordinator round in a single transaction (synchronous=FULL: durable when this returns): its
    /// check-suite rows, trainer states and scheduling batch (see ``applySchedulingBatch(collectionID:_:maxAttempts:now:)``
    /// for the fencing of each scheduling item). Nothing is written when any statement fails.
    public func applyCoordinatorRound(
        collectionID: String, _ round: CoordinatorRound, maxAttempts: Int, now: Date = Date()
    ) throws(StoreError) -> CoordinatorRoundOutcome {
        enum EncodedCheck {
            case begin(SuiteRunRow)
            case record(suiteRunID: String, CheckOutcome, json: String)
            case complete(suiteRunID: String)
        }
        var checks: [EncodedCheck] = []
        checks.reserveCapacity(round.checks.count)
        for write in round.checks {
            switch write {
            case .begin(let run): checks.append(.begin(try Self.suiteRunRow(run, path: path)))
            case .record(let id, let outcome):
                checks.append(.record(suiteRunID: id, outcome, json: try Self.json(outcome, path: path)))
            case .complete(let id): checks.append(.complete(suiteRunID: id))
            }
        }
        return try StoreError.wrap(path, "apply coordinator round") {
            try pool.write { db in
                var changed: [Bool] = []
                changed.reserveCapacity(checks.count)
                for check in checks {
                    switch check {
                    case .begin(let row):
                        try Self.beginSuiteRun(db, row)
                        changed.append(true)
                    case .record(let id, let outcome, let text):
                        changed.append(try Self.recordCheckOutcome(db, suiteRunID: id, outcome, json: text, now: now,
                                                                   path: path))
                    case .complete(let id):
                        try Self.completeSuiteRun(db, id: id, now: now)
                        changed.append(true)
                    }
                }
                for state in round.trainerStates {
                    try Self.setTrainerUnreachable(db, collectionID: collectionID, agent: state.agent,
                                                   reason: state.reason, now: state.at)
                }
                let scheduling = try Self.applySchedulingBatch(db, collectionID: collectionID, round.scheduling,
                                                               maxAttempts: maxAttempts, now: now)
                return CoordinatorRoundOutcome(checks: changed, scheduling: scheduling)
            }
        }
    }
}
