import ArgumentParser
import BenchStore
import Foundation

/// `mmmbench backup`: a consistent copy of a collection database, also while a coordinator writes to it.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy a collection database consistently, also while a coordinator writes to it.",
        discussion: """
            Uses SQLite's online backup API: the copy is one snapshot of the database (every committed result up to \
            that moment, nothing half written), checked with PRAGMA integrity_check, fsynced and renamed into place. \
            It takes no lock: a running coordinator goes on. The copy is a single file; restore it by stopping the \
            coordinator and putting the file in place of the database (and removing the old -wal and -shm files).
            Exit status: 0 written, 1 error (no database, --out exists without --force, the copy failed).
            """
    )

    @Option(help: "The database to back up.")
    var db: String

    @Option(help: "The backup file to write (its directory must exist).")
    var out: String

    @Flag(help: "Replace --out if it exists.")
    var force = false

    func validate() throws {
        guard !db.isEmpty, !out.isEmpty else { throw ValidationError("--db and --out must not be empty") }
    }

    func run() async throws {
        do {
            let summary = try StoreBackup.backup(databaseAt: db, to: out, force: force)
            let collection = summary.collectionID.map {
                "collection \($0): \(summary.jobsDone)/\(summary.jobsTotal) jobs done"
            } ?? "no collection"
            print("backup written: \(summary.path) (\(summary.bytes) bytes, schema \(summary.schemaVersion), "
                  + "\(collection))")
        } catch {
            FileHandle.standardError.write(Data("mmmbench backup: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}
