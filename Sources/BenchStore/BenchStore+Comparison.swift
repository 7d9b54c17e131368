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
                let metrics = try Self.countedMetrics(db, collectionID: id, path: path)
                return ComparisonCollection(collectionID: id, metrics: metrics)
            }
        }
    }
}
