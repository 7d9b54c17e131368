import BenchCore
import Foundation

/// Loads one side of `compare` from the command line's argument (docs/compare.md, "Inputs"):
///
/// - `FILE.sqlite`: an mmmbench database, its newest collection; `FILE.sqlite#ID` names the collection;
/// - `baseline_metrics.json`: our JSON export or the seed script's own file (a JSON list);
/// - `baseline_metrics.csv`: our CSV export.
///
/// The kind is read from the content (SQLite's header, a JSON list, a CSV header), not from the name, except that a
/// `.csv` name is always read as CSV. Every problem is a ``ComparisonError`` naming the file (and row and field).
public enum ComparisonSourceLoader {
    /// A loaded side and what it was.
    public struct Loaded: Sendable, Equatable {
        public enum Kind: String, Sendable { case database, json, csv }
        public let label: String
        public let kind: Kind
        public let metrics: [BaselineMetric]
    }

    private static let sqliteHeader = Array("SQLite format 3\u{0}".utf8)

    public static func load(_ argument: String) throws(ComparisonError) -> Loaded {
        let (path, collectionID) = try split(argument)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ComparisonError(.unreadable, "\(path): cannot read: \(error.localizedDescription)")
        }
        if data.starts(with: sqliteHeader) {
            do throws(StoreError) {
                let collection = try BenchStore.comparisonCollection(path: path, collectionID: collectionID)
                return Loaded(label: "\(path)#\(collection.collectionID)", kind: .database, metrics: collection.metrics)
            } catch {
                throw ComparisonError(error.kind == .open ? .unreadable : .malformed, error.description)
            }
        }
        if collectionID != nil {
            throw ComparisonError(.usage, "\(argument): '#ID' names a collection, but \(path) is not a database")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ComparisonError(.malformed, "\(path): neither an mmmbench database nor UTF-8 text")
        }
        let trimmed = text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        if path.lowercased().hasSuffix(".csv") {
            return Loaded(label: path, kind: .csv, metrics: try MetricsImport.csv(text, source: path))
        }
        if trimmed.first == "[" || trimmed.first == "{" {
            return Loaded(label: path, kind: .json, metrics: try MetricsImport.json(text, source: path))
        }
        if trimmed.prefix(while: { $0 != "\n" }).contains("job_id") {
            return Loaded(label: path, kind: .csv, metrics: try MetricsImport.csv(text, source: path))
        }
        throw ComparisonError(.malformed, "\(path): not an mmmbench database, a JSON list of measurements or a CSV "
            + "export")
    }

    /// `FILE` or `FILE#ID`; a path that exists as written wins over the `#ID` reading.
    static func split(_ argument: String) throws(ComparisonError) -> (path: String, collectionID: String?) {
        if FileManager.default.fileExists(atPath: argument) { return (argument, nil) }
        if let hash = argument.lastIndex(of: "#") {
            let path = String(argument[..<hash])
            let id = String(argument[argument.index(after: hash)...])
            if FileManager.default.fileExists(atPath: path) {
                guard !id.isEmpty else { throw ComparisonError(.usage, "\(argument): empty collection id after '#'") }
                return (path, id)
            }
        }
        throw ComparisonError(.unreadable, "\(argument): no such file")
    }
}
