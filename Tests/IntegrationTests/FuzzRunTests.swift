import Foundation
import Testing

/// Bounded coverage-guided fuzzing on every `swift test` (and so in `.ci/run`): each libFuzzer target of `Fuzz/` is
/// compiled with AddressSanitizer and run for a fixed time over the corpus kept in the repository. A crash, a
/// sanitizer report or a harness trap fails the test and prints the input (hex and text); add that input to the
/// target's regression tests and to `Fuzz/corpus/<target>/`.
///
/// `MMMBENCH_FUZZ_SECONDS` sets the time per target (default 30; `scripts/nightly` runs longer with
/// `Fuzz/run-<target>-fuzzer.sh SECONDS`). The objects `swift test` built are reused (`FUZZ_NO_SWIFT_BUILD=1`:
/// `swift build` cannot run while `swift test` holds the build directory) and the fuzzers are compiled without
/// optimization (`FUZZ_OPTIMIZATION=-Onone`: half the compile time; the nightly runs use `-O`).
@Suite("Fuzzing: bounded libFuzzer runs with ASan of the wire, plan and metrics readers and the TLS handler",
       .serialized)
struct FuzzRunTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static var seconds: Int {
        ProcessInfo.processInfo.environment["MMMBENCH_FUZZ_SECONDS"].flatMap { Int($0) } ?? 30
    }

    /// The package was built in this checkout (the fuzzers link its objects).
    static var builtHere: Bool { FileManager.default.fileExists(atPath: root + "/.build/debug.yaml") }

    @Test("a bounded fuzz run finds nothing", .enabled(if: builtHere, "needs the package's .build (swift build)"),
          arguments: ["wire", "plan", "metrics", "tls"])
    func boundedRun(_ target: String) async throws {
        let run = try ChildProcess(
            ["FUZZ_NO_SWIFT_BUILD=1", "FUZZ_OPTIMIZATION=-Onone", Self.root + "/Fuzz/run-fuzzer.sh", target,
             String(Self.seconds)],
            executable: "/usr/bin/env", directory: Self.root)
        // Compiling the target takes minutes on a busy machine; the run itself is bounded by libFuzzer.
        let status = await run.waitForExit(timeout: .seconds(Self.seconds + 1_200))
        let stats = run.lines.filter { $0.hasPrefix("stat::number_of_executed_units") || $0.hasPrefix("stat::peak") }
        print("fuzz \(target): \(Self.seconds) s, \(stats.joined(separator: ", "))")
        #expect(status == 0, "fuzz \(target) failed:\n\(run.lines.suffix(80).joined(separator: "\n"))")
        #expect(!stats.isEmpty, "no libFuzzer statistics:\n\(run.text)")
    }
}
