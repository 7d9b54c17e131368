import Foundation
import Testing

/// The tables of docs/architecture.md, "Where each wire field lives", checked against the tree: every file they name
/// exists and spells its members, and a wire member name with an underscore appears as a string literal in
/// `Sources/` only in the files of the rows that list it (or where the second table names another format).
@Suite("docs/architecture.md: where each wire field lives")
struct WireFieldOwnersTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("every file the tables name exists, and the owners of a member spell it")
    func namedFilesExist() throws {
        let tables = try WireFieldTables(markdown: Self.document())
        #expect(tables.owners.count >= 15, "the table has a row per message and payload")
        for file in tables.owners.flatMap(\.files) + tables.otherFormats.flatMap(\.files) {
            #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(file).path), "\(file)")
        }
        for row in tables.owners {
            for member in row.checkedMembers {
                let spelled = try row.files.contains { file in
                    try Self.source(file).contains("\"\(member)\"")
                }
                #expect(spelled, "no file of the row '\(row.wireType)' spells \"\(member)\"")
            }
        }
    }

    @Test("a wire member is spelled in Sources/ only by its owners (or by another format the doc names)")
    func membersOnlyInTheirOwners() throws {
        let tables = try WireFieldTables(markdown: Self.document())
        let violations = tables.violations(in: try Self.sources())
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
    }

    @Test("the check finds a member spelled outside its owners, and ignores comments")
    func checkCanFail() throws {
        let markdown = """
            ## Where each wire field lives

            | wire type | members | read in | written in |
            |---|---|---|---|
            | `assign` | `task`, `lease_ms` | `Sources/A/Reading.swift` | `Sources/A/Writing.swift` |

            | name | file | format |
            |---|---|---|
            | `lease_ms` | `Sources/C/Store.swift` | a column |

            ## Next
            """
        let tables = try WireFieldTables(markdown: markdown)
        #expect(tables.owners.map(\.checkedMembers) == [["lease_ms"]])
        let sources = [
            ("Sources/A/Reading.swift", #"let lease = try fields.int("lease_ms")"#),
            ("Sources/B/Coordinator.swift", #"members["lease_ms"] = .number(1)"#),
            ("Sources/B/Agent.swift", #"    /// reads "lease_ms" from the assignment"#),
            ("Sources/C/Store.swift", #"row["lease_ms"]"#),
        ]
        #expect(tables.violations(in: sources) == [#"Sources/B/Coordinator.swift spells "lease_ms""#])
    }

    static func document() throws -> String {
        try String(contentsOf: root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
    }

    static func source(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// Every Swift file under Sources/ but the benchmarks' (fixed sample messages, fed to the one encoder).
    static func sources() throws -> [(String, String)] {
        let found = try files(under: "Sources", suffixes: [".swift"])
            .filter { !$0.0.hasPrefix("Sources/mmmbench-bench/") }
        #expect(found.count > 100, "Sources/ was found")
        return found
    }

    /// The files under `directory` (relative to the repository root) whose names end in one of `suffixes`, as
    /// (path relative to the root, text) pairs.
    static func files(under directory: String, suffixes: [String]) throws -> [(String, String)] {
        let base = root.appendingPathComponent(directory)
        guard let walker = FileManager.default.enumerator(atPath: base.path) else { return [] }
        var files: [(String, String)] = []
        while let relative = walker.nextObject() as? String {
            guard suffixes.contains(where: { relative.hasSuffix($0) }) else { continue }
            files.append(("\(directory)/\(relative)", try source("\(directory)/\(relative)")))
        }
        return files
    }
}

/// The two tables of the section, parsed.
struct WireFieldTables {
    struct OwnerRow {
        let wireType: String
        let members: [String]
        let files: [String]
        /// The members the grep check covers: those with an underscore (ordinary words such as `task` or `status`
        /// are spelled by many unrelated formats).
        var checkedMembers: [String] { members.filter { $0.contains("_") } }
    }

    struct OtherFormatRow {
        let names: [String]
        let files: [String]
    }

    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    var owners: [OwnerRow] = []
    var otherFormats: [OtherFormatRow] = []

    init(markdown: String) throws {
        guard let start = markdown.range(of: "## Where each wire field lives") else {
            throw ParseError(description: "no section 'Where each wire field lives'")
        }
        let rest = markdown[start.upperBound...]
        let section = rest.range(of: "\n## ").map { rest[..<$0.lowerBound] } ?? rest
        for line in section.split(separator: "\n") where line.hasPrefix("|") && !line.hasPrefix("|---") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            switch cells.count {
            case 4 where cells[0] != "wire type":
                owners.append(OwnerRow(wireType: cells[0], members: Self.names(cells[1]),
                                       files: Self.paths(cells[2]) + Self.paths(cells[3])))
            case 3 where cells[0] != "name":
                otherFormats.append(OtherFormatRow(names: Self.names(cells[0]), files: Self.paths(cells[1])))
            default:
                continue
            }
        }
    }

    /// The code spans of `cell` (the text between backticks).
    static func spans(_ cell: String) -> [String] {
        cell.components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
    }

    static func names(_ cell: String) -> [String] {
        spans(cell).filter { !$0.isEmpty && $0.allSatisfy { $0.isLowercase || $0 == "_" } }
    }

    static func paths(_ cell: String) -> [String] {
        spans(cell).filter { $0.hasPrefix("Sources/") }
    }

    /// The files each checked member may be spelled in.
    var allowedFiles: [String: Set<String>] {
        var allowed: [String: Set<String>] = [:]
        for row in owners {
            for member in row.checkedMembers { allowed[member, default: []].formUnion(row.files) }
        }
        for row in otherFormats {
            for name in row.names where allowed[name] != nil { allowed[name, default: []].formUnion(row.files) }
        }
        return allowed
    }

    /// `<file> spells "<member>"` for every checked member written as a string literal outside the files allowed
    /// for it; comment lines are not searched.
    func violations(in sources: [(String, String)]) -> [String] {
        let allowed = allowedFiles
        var found: [String] = []
        for (path, text) in sources.sorted(by: { $0.0 < $1.0 }) {
            let code = text.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
                .joined(separator: "\n")
            for (member, files) in allowed.sorted(by: { $0.key < $1.key })
            where !files.contains(path) && code.contains("\"\(member)\"") {
                found.append("\(path) spells \"\(member)\"")
            }
        }
        return found
    }
}
