import BenchCore
import Foundation
import GRDB

/// Check outcomes per suite run and collection. A suite run is begun, receives one outcome per check (or per share
/// of a concurrent check, from several agents), and is completed; reports combine the shares.
extension BenchStore {
    /// Stores a suite run (idempotent: beginning a stored run again changes nothing).
    public func beginSuiteRun(_ run: CheckSuiteRun) throws(StoreError) {
        let row = try Self.suiteRunRow(run, path: path)
        try StoreError.wrap(path, "begin suite run") {
            try pool.write { db in try Self.beginSuiteRun(db, row) }
        }
    }

    /// Stores the outcome of a check (or of one share of it) of a begun suite run. Returns false, storing nothing,
    /// when that check share already has an outcome (a resent result); the first one stays.
    @discardableResult
    public func recordCheckOutcome(suiteRunID: String, _ outcome: CheckOutcome, now: Date = Date())
        throws(StoreError) -> Bool
    {
        let text = try Self.json(outcome, path: path)
        return try StoreError.wrap(path, "record check outcome") {
            try pool.write { db in
                try Self.recordCheckOutcome(db, suiteRunID: suiteRunID, outcome, json: text, now: now, path: path)
            }
        }
    }

    /// Marks a suite run complete (idempotent; keeps the first time).
    public func completeSuiteRun(id: String, now: Date = Date()) throws(StoreError) {
        try StoreError.wrap(path, "complete suite run") {
            try pool.write { db in try Self.completeSuiteRun(db, id: id, now: now) }
        }
    }

    /// A suite run with its JSON columns encoded (before the transaction that inserts it).
    struct SuiteRunRow {
        let run: CheckSuiteRun
        let disabled: String
        let settings: String
    }

    static func suiteRunRow(_ run: CheckSuiteRun, path: String) throws(StoreError) -> SuiteRunRow {
        SuiteRunRow(run: run, disabled: try json(run.disabled, path: path),
                    settings: try json(run.settings, path: path))
    }

    static func beginSuiteRun(_ db: Database, _ row: SuiteRunRow) throws {
        let run = row.run
        try db.execute(sql: """
            INSERT OR IGNORE INTO check_suite_run
              (id, collection_id, phase, target, started_at, completed_at, disabled_json, settings_json)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                run.id, run.collectionID, run.phase.rawValue, run.target, run.startedAt.timeIntervalSince1970,
                run.completedAt?.timeIntervalSince1970, row.disabled, row.settings,
            ])
    }

    static func recordCheckOutcome(
        _ db: Database, suiteRunID: String, _ outcome: CheckOutcome, json text: String, now: Date, path: String
    ) throws -> Bool {
        let share = outcome.share ?? .whole
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM check_suite_run WHERE id = ?",
                                arguments: [suiteRunID]) == true
        else {
            throw StoreError(.unknownSuiteRun, path: path, reason: "no suite run \(suiteRunID) to record "
                + "\(outcome.check.rawValue) in")
        }
        try db.execute(sql: """
            INSERT OR IGNORE INTO check_outcome (suite_run_id, check_name, share_index, share_count, status,
              duration_ms, agent, recorded_at, outcome_json)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                suiteRunID, outcome.check.rawValue, share.index, share.count, outcome.status.rawValue,
                outcome.durationSeconds * 1000, outcome.agent, now.timeIntervalSince1970, text,
            ])
        return db.changesCount == 1
    }

    static func completeSuiteRun(_ db: Database, id: String, now: Date) throws {
        try db.execute(
            sql: "UPDATE check_suite_run SET completed_at = ? WHERE id = ? AND completed_at IS NULL",
            arguments: [now.timeIntervalSince1970, id])
    }

    /// Stores a whole report of a suite run made on one host (`mmmbench test-suite`) in one transaction: the run,
    /// every outcome, completed.
    public func recordTestSuiteReport(
        _ report: TestSuiteReport, collectionID: String?, settings: CheckSettings, now: Date = Date()
    ) throws(StoreError) {
        let disabled = try Self.json(report.disabled, path: path)
        let settingsText = try Self.json(settings, path: path)
        var outcomes: [(CheckOutcome, String)] = []
        for outcome in report.outcomes { outcomes.append((outcome, try Self.json(outcome, path: path))) }
        try StoreError.wrap(path, "record test suite report") {
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO check_suite_run
                      (id, collection_id, phase, target, started_at, completed_at, disabled_json, settings_json)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [
                        report.suiteRunID, collectionID, report.phase.rawValue, report.target,
                        report.startedAt.timeIntervalSince1970, now.timeIntervalSince1970, disabled, settingsText,
                    ])
                for (outcome, text) in outcomes {
                    let share = outcome.share ?? .whole
                    try db.execute(sql: """
                        INSERT INTO check_outcome (suite_run_id, check_name, share_index, share_count, status,
                          duration_ms, agent, recorded_at, outcome_json)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [
                            report.suiteRunID, outcome.check.rawValue, share.index, share.count,
                            outcome.status.rawValue, outcome.durationSeconds * 1000, outcome.agent,
                            now.timeIntervalSince1970, text,
                        ])
                }
            }
        }
    }

    /// Suite runs of a collection (nil: runs stored without a collection), oldest first.
    public func suiteRuns(collectionID: String?) throws(StoreError) -> [CheckSuiteRun] {
        try StoreError.wrap(path, "read suite runs") {
            try pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT * FROM check_suite_run WHERE collection_id IS ? ORDER BY started_at, rowid
                    """, arguments: [collectionID]).map { try Self.suiteRun(from: $0, path: path) }
            }
        }
    }

    /// The stored outcomes of a suite run as recorded (shares separate), in the seed's check order.
    public func checkOutcomes(suiteRunID: String) throws(StoreError) -> [CheckOutcome] {
        try StoreError.wrap(path, "read check outcomes") {
            try pool.read { db in
                try String.fetchAll(db, sql: """
                    SELECT outcome_json FROM check_outcome WHERE suite_run_id = ? ORDER BY id
                    """, arguments: [suiteRunID]).map { text in
                    do {
                        return try JSONDecoder().decode(CheckOutcome.self, from: Data(text.utf8))
                    } catch {
                        throw StoreError(.corruptRow, path: path,
                                         reason: "suite run \(suiteRunID): stored check outcome unreadable: \(error)")
                    }
                }.sorted { $0.check < $1.check }
            }
        }
    }

    /// The report of a stored suite run: one outcome per check, shares of a concurrent check combined with the
    /// run's settings.
    public func testSuiteReport(for run: CheckSuiteRun) throws(StoreError) -> TestSuiteReport {
        let stored = try checkOutcomes(suiteRunID: run.id)
        let byCheck = Dictionary(grouping: stored, by: \.check)
        let outcomes = byCheck.keys.sorted().compactMap { kind -> CheckOutcome? in
            guard let shares = byCheck[kind] else { return nil }
            return CheckOutcome.combining(shares: shares, kind: kind, settings: run.settings)
        }
        return TestSuiteReport(
            suiteRunID: run.id, phase: run.phase, target: run.target, startedAt: run.startedAt, outcomes: outcomes,
            disabled: run.disabled)
    }

    /// The newest suite run of each phase of a collection (nil: runs without a collection) with its report, in the
    /// order before, after, standalone.
    public func latestTestSuiteReports(collectionID: String?) throws(StoreError) -> [TestSuiteReport] {
        let runs = try suiteRuns(collectionID: collectionID)
        var reports: [TestSuiteReport] = []
        for phase in CheckPhase.allCases {
            guard let run = runs.last(where: { $0.phase == phase }) else { continue }
            reports.append(try testSuiteReport(for: run))
        }
        return reports
    }

    static func suiteRun(from row: Row, path: String) throws -> CheckSuiteRun {
        let id: String = row["id"]
        let decoder = JSONDecoder()
        guard let phase = CheckPhase(rawValue: row["phase"]),
              let disabled = try? decoder.decode([CheckKind].self, from: Data((row["disabled_json"] as String).utf8)),
              let settings = try? decoder.decode(CheckSettings.self, from: Data((row["settings_json"] as String).utf8))
        else {
            throw StoreError(.corruptRow, path: path, reason: "suite run \(id): unreadable phase, disabled or settings")
        }
        let completed: Double? = row["completed_at"]
        return CheckSuiteRun(
            id: id, collectionID: row["collection_id"], phase: phase, target: row["target"],
            startedAt: Date(timeIntervalSince1970: row["started_at"]),
            completedAt: completed.map(Date.init(timeIntervalSince1970:)), disabled: disabled, settings: settings)
    }

    static func json(_ value: some Encodable, path: String) throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw StoreError(.corruptRow, path: path, reason: "cannot encode \(type(of: value)) as JSON: \(error)")
        }
    }
}
