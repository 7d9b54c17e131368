import BenchCore
import Foundation
import GRDB

/// What `compare` reads from a database: one collection's counted measurements.
public struct ComparisonCollection: Sendable, Equatable {
    public let collectionID: String
    /// Counted results in matrix order (each A/B pair's results next to each other), failed ones included.
    public let metrics: [BaselineMetric]
}

extension BenchStore {
    /// Reads a collection for `compare` without opening the store for writing: no migration, no lock, so it works on
    /// a database another process is collecting into, and on a copy in a read-only place.
    ///
    /// - Parameter collectionID: the collection to read; nil for the newest.
    public static func comparisonCollection(path: String, collectionID: String?) throws(StoreError)
        -> ComparisonCollection
    {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "mmmbench-compare"
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw StoreError(.open, path: path, reason: "cannot open database read-only: \(error)")
        }
        return try StoreError.wrap(path, "read collection") {
            try queue.read { db in
                guard try db.tableExists("collection"), try db.tableExists("result") else {
                    throw StoreError(.noCollection, path: path,
                                     reason: "not an mmmbench database (no collection table)")
                }
                let ids = try String.fetchAll(db, sql: "SELECT id FROM collection ORDER BY created_at DESC, rowid DESC")
                let id: String
                if let collectionID {
                    guard ids.contains(collectionID) else {
                        throw StoreError(.noCollection, path: path, reason: "no collection \(collectionID) "
                            + "(collections, newest first: \(ids.isEmpty ? "none" : ids.joined(separator: ", ")))")
                    }
                    id = collectionID
                } else {
                    guard let newest = ids.first else {
                        throw StoreError(.noCollection, path: path, reason: "the database holds no collection")
                    }
                    id = newest
                }
                // The side of an A/B collection is the job row's (the store is the truth); a database written
                // before A/B collections existed has no such column, and every result is of its one target.
                let hasTarget = try db.columns(in: "job").contains { $0.name == "target" }
                let rows = try Row.fetchAll(db, sql: """
                    SELECT r.metric_json, \(hasTarget ? "j.target" : "''") FROM result r
                    JOIN job j ON j.collection_id = r.collection_id AND j.id = r.job_id
                    WHERE r.collection_id = ? AND r.counted = 1 ORDER BY j.ordinal, r.rowid
                    """, arguments: [id])
                let metrics = try rows.enumerated().map { index, row in
                    do {
                        let target: String = row[1]
                        return try MetricCoding.decode(row[0]).withTarget(target.isEmpty ? nil : target)
                    } catch {
                        throw StoreError(.corruptRow, path: path,
                                         reason: "collection \(id), result \(index + 1) unreadable: \(error)")
                    }
                }
                return ComparisonCollection(collectionID: id, metrics: metrics)
            }
        }
    }
}
