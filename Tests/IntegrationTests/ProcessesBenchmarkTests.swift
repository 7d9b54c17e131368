import Foundation
import Testing

/// `mmmbench-bench processes` runs the operator's topology for real: its figures are only worth quoting if a small
/// run completes, counts every job and prints both modes. (The speed itself is printed, never asserted.)
@Suite("mmmbench-bench processes")
struct ProcessesBenchmarkTests {
    @Test("a small run of both modes completes with every job committed and prints its figures")
    func smallRun() async throws {
        let bench = URL(fileURLWithPath: ChildProcess.mmmbenchPath).deletingLastPathComponent()
            .appendingPathComponent("mmmbench-bench").path
        try #require(FileManager.default.isExecutableFile(atPath: bench), "build mmmbench-bench first: \(bench)")
        let child = try ChildProcess(["processes", "--jobs", "60", "--agents", "2", "--slots", "4", "--runs", "1"],
                                     executable: bench)
        #expect(await child.waitForExit(timeout: .seconds(300)) == 0, "\(child.text)")
        for label in ["end-to-end (fixed-200 endpoint): median", "dispatch only (agents --no-trainer): median"] {
            #expect(child.text.contains(label), "\(child.text)")
        }
        #expect(child.text.contains("CPU s: coordinator"), "\(child.text)")
        #expect(child.text.contains("phases: listening"), "where the time from start to exit went: \(child.text)")
    }

    @Test("a missing mmmbench executable is a usage error naming it")
    func missingExecutable() async throws {
        let bench = URL(fileURLWithPath: ChildProcess.mmmbenchPath).deletingLastPathComponent()
            .appendingPathComponent("mmmbench-bench").path
        let child = try ChildProcess(["processes", "--mmmbench", "/nonexistent/mmmbench"], executable: bench)
        #expect(await child.waitForExit(timeout: .seconds(60)) == 64, "\(child.text)")
        #expect(child.text.contains("/nonexistent/mmmbench is not an executable file"), "\(child.text)")
    }
}
