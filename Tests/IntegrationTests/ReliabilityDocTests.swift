import BenchCore
import Foundation
import TestTiming
import Testing

/// docs/reliability.md is tested: every test it names exists, every crash point is documented, its example of
/// arming a point arms what the text says, and the nightly parts it lists are the script's.
@Suite("docs/reliability.md")
struct ReliabilityDocTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func read(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    /// Every `` `Tests/<target>/<File>.swift:<testName>` `` of the page.
    static func references(in text: String) -> [(file: String, test: String)] {
        text.matches(of: /`(Tests\/[A-Za-z]+\/[A-Za-z0-9+]+\.swift):([A-Za-z0-9_]+)`/).map {
            (String($0.output.1), String($0.output.2))
        }
    }

    @Test("every test the page names exists as a @Test function in the named file")
    func namedTestsExist() throws {
        let references = Self.references(in: try Self.read("docs/reliability.md"))
        #expect(references.count >= 30, "found \(references.count) references")
        for (file, test) in references {
            let source = try #require(try? Self.read(file), "\(file) does not exist")
            let declaration = try #require(source.range(of: "func \(test)("), "\(file) has no func \(test)")
            // The attribute of a test sits just above its function (its description may span a few lines).
            let start = source.index(declaration.lowerBound, offsetBy: -600, limitedBy: source.startIndex)
                ?? source.startIndex
            let above = String(source[start..<declaration.lowerBound])
            let lastTest = above.range(of: "@Test", options: String.CompareOptions.backwards)
            let lastFunc = above.range(of: "func ", options: String.CompareOptions.backwards)
            #expect(lastTest != nil && (lastFunc == nil || lastFunc!.lowerBound < lastTest!.lowerBound),
                    "\(file):\(test) is not a @Test")
        }
    }

    @Test("every crash point is documented, and the page's example arms what it says")
    func crashPointsDocumented() throws {
        let text = try Self.read("docs/reliability.md")
        for point in CrashPoint.allCases { #expect(text.contains("| `\(point.rawValue)` |"), "\(point.rawValue)") }
        let example = try #require(text.split(separator: "\n").first { $0.hasPrefix("MMMBENCH_CRASH_POINTS=1 ") })
        var environment: [String: String] = [:]
        for word in example.split(separator: " ") where word.hasPrefix("MMMBENCH_") {
            let parts = word.split(separator: "=", maxSplits: 1)
            environment[String(parts[0])] = String(parts[1])
        }
        #expect(try CrashPoint.arming(environment: environment) == .armed(.commitBeforeAck, hit: 3))
        #expect(example.contains(" mmmbench collect "))
    }

    @Test("the nightly parts the page lists are the ones scripts/nightly runs, and it is executable")
    func nightlyParts() throws {
        let text = try Self.read("docs/reliability.md")
        let script = try Self.read("scripts/nightly")
        let defaults = try #require(script.firstMatch(of: /NIGHTLY_PARTS:-([a-z -]+)\}/)).output.1
        for part in defaults.split(separator: " ") {
            #expect(text.contains("`\(part)`"), "part \(part) not documented")
            #expect(script.contains("    \(part))"), "part \(part) has no case in the script")
        }
        #expect(FileManager.default.isExecutableFile(atPath: Self.root.appendingPathComponent("scripts/nightly").path))
    }

    @Test("the fuzz targets the page lists are scripts/nightly's default, and each is built, documented and run by CI")
    func fuzzTargets() throws {
        let text = try Self.read("docs/reliability.md")
        let script = try Self.read("scripts/nightly")
        let fuzzer = try Self.read("Fuzz/run-fuzzer.sh")
        let readme = try Self.read("Fuzz/README.md")
        let ciRun = try Self.read("Tests/IntegrationTests/FuzzRunTests.swift")
        let defaults = try #require(script.firstMatch(of: /NIGHTLY_FUZZ_TARGETS:-([a-z ]+)\}/)).output.1
            .split(separator: " ").map(String.init)
        let listed = try #require(text.firstMatch(of: /libFuzzer target, ([a-z, ]+), 10 minutes each/)).output.1
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(listed == defaults, "the page lists \(listed), scripts/nightly runs \(defaults)")
        let arguments = try #require(ciRun.firstMatch(of: /arguments: \[([a-z", ]+)\]/)).output.1
        for target in defaults {
            #expect(fuzzer.firstMatch(of: try Regex("\\n    ([a-z]+\\|)*\(target)(\\|[a-z]+)*\\)")) != nil,
                    "Fuzz/run-fuzzer.sh has no case for \(target)")
            #expect(readme.contains("| `\(target)` |"), "Fuzz/README.md has no row for \(target)")
            #expect(arguments.contains("\"\(target)\""), "FuzzRunTests does not run \(target)")
        }
    }

    @Test("the sanitizer settings the page describes are the ones scripts/nightly sets, and the files it names exist")
    func sanitizerSettings() throws {
        let text = try Self.read("docs/reliability.md")
        let script = try Self.read("scripts/nightly")
        for variable in ["MMMBENCH_TEST_TIME_SCALE", "TSAN_OPTIONS", "ASAN_OPTIONS"] {
            #expect(text.contains("`\(variable)`"), "\(variable) not documented")
            #expect(script.contains("\(variable)="), "scripts/nightly does not set \(variable)")
        }
        let scale = try #require(text.firstMatch(of: /`NIGHTLY_SANITIZER_TIME_SCALE`, default ([0-9]+)/)).output.1
        #expect(script.contains("NIGHTLY_SANITIZER_TIME_SCALE:-\(scale)}"),
                "the documented default scale is not the script's")
        #expect(script.contains("LSAN_OPTIONS=suppressions=$root/scripts/sanitizers/lsan.supp"))
        #expect(text.contains("LSAN_OPTIONS=suppressions=scripts/sanitizers/lsan.supp"))
        let timing = try Self.read("Tests/TestTiming/TestTiming.swift")
        #expect(timing.contains("environment[\"MMMBENCH_TEST_TIME_SCALE\"]"))
        let repro = Self.root.appendingPathComponent("scripts/sanitizers/tsan-mutex-repro.sh").path
        #expect(text.contains("scripts/sanitizers/tsan-mutex-repro.sh"))
        #expect(FileManager.default.isExecutableFile(atPath: repro))
    }

    @Test("the libcrypto leak reproduction shows what the page says: the leak by default, none with NO_ATEXIT first")
    func opensslAtexitReproduction() throws {
        let text = try Self.read("docs/reliability.md")
        #expect(text.contains("scripts/sanitizers/openssl-atexit-repro.sh"))
        // clang comes with the Swift toolchain; CI must have it, a developer machine without it skips.
        guard DeployTestSupport.toolOrCI("clang") else { return }
        let run = try ToolRun.run(
            "/bin/bash", [Self.root.appendingPathComponent("scripts/sanitizers/openssl-atexit-repro.sh").path],
            timeout: TestTiming.scaled(.seconds(120)))
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("default: Direct leak of 984 byte(s) in 3 object(s)") == true, "\(run.stdout)")
        #expect(lines.last == "OPENSSL_INIT_NO_ATEXIT first: no leak", "\(run.stdout)")
        #expect(text.contains("984 bytes in 3 objects"))
    }
}
