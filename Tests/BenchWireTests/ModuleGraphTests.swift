import Foundation
import Testing

/// docs/architecture.md's module table checked against the tree: each library module's `import` statements of our
/// own modules are exactly its row, and every row imports only rows above it (arrows point down).
@Suite("docs/architecture.md: the module graph")
struct ModuleGraphTests {
    @Test("each module imports exactly the modules its row lists, and only modules listed above it")
    func graphMatchesImports() throws {
        let table = try ModuleTable(markdown: WireFieldOwnersTests.document())
        let libraries = try Self.libraryModules()
        #expect(Set(table.rows.map(\.module)) == Set(libraries), "a row for every module in Sources/, and no other")
        let imports = try Dictionary(uniqueKeysWithValues: libraries.map { ($0, try Self.imports(of: $0)) })
        let problems = table.violations(imports: imports)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("the check finds an import the row does not list, a listed one no file makes, and an upward arrow")
    func checkCanFail() throws {
        let markdown = """
            | module | imports of our modules |
            |---|---|
            | Low | none |
            | Mid | Low, High |
            | High | Low |

            Text.
            """
        let table = try ModuleTable(markdown: markdown)
        #expect(table.rows.map(\.module) == ["Low", "Mid", "High"])
        let problems = table.violations(imports: ["Low": ["Mid"], "Mid": ["Low", "High"], "High": []])
        #expect(problems == [
            "Low imports Mid, which its row does not list",
            "Mid imports High, which is not listed above it",
            "High's row lists Low, which no file of High imports",
        ])
    }

    /// The library modules: directories of Sources/ but the two executables.
    static func libraryModules() throws -> [String] {
        let sources = WireFieldOwnersTests.root.appendingPathComponent("Sources").path
        return try FileManager.default.contentsOfDirectory(atPath: sources)
            .filter { !$0.hasPrefix("mmmbench") && !$0.hasPrefix(".") }
    }

    /// Our modules (the names in Sources/) that any file of `module` imports.
    static func imports(of module: String) throws -> Set<String> {
        let ours = Set(try libraryModules())
        var found = Set<String>()
        for (_, text) in try WireFieldOwnersTests.files(under: "Sources/\(module)", suffixes: [".swift", ".h"]) {
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ").map(String.init)
                guard let index = words.firstIndex(of: "import"), index + 1 < words.count,
                      words[..<index].allSatisfy({ $0.hasPrefix("@") || ["public", "package", "internal"].contains($0) })
                else { continue }
                let name = words[index + 1].split(separator: ".").first.map(String.init) ?? ""
                if ours.contains(name) { found.insert(name) }
            }
        }
        return found
    }
}

/// The rows of the first `| module | imports of our modules |` table of a markdown document, in order.
struct ModuleTable {
    struct Row {
        let module: String
        let imports: [String]
    }

    let rows: [Row]

    init(markdown: String) throws {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let header = lines.firstIndex(where: { $0.hasPrefix("| module | imports of our modules |") }) else {
            throw TableMissing()
        }
        rows = lines[(header + 2)...].prefix { $0.hasPrefix("|") }.map { line in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let imports = cells.count > 1 && cells[1] != "none"
                ? cells[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } : []
            return Row(module: cells.first ?? "", imports: imports)
        }
    }

    /// What differs between the table and `imports` (module → our modules its files import), one line each.
    func violations(imports: [String: Set<String>]) -> [String] {
        var problems: [String] = []
        var above = Set<String>()
        for row in rows {
            let actual = imports[row.module] ?? []
            for name in actual.sorted() where !row.imports.contains(name) {
                problems.append("\(row.module) imports \(name), which its row does not list")
            }
            for name in row.imports where !above.contains(name) {
                problems.append("\(row.module) imports \(name), which is not listed above it")
            }
            for name in row.imports where !actual.contains(name) {
                problems.append("\(row.module)'s row lists \(name), which no file of \(row.module) imports")
            }
            above.insert(row.module)
        }
        return problems
    }

    struct TableMissing: Error, CustomStringConvertible {
        var description: String { "no '| module | imports of our modules |' table in the document" }
    }
}
