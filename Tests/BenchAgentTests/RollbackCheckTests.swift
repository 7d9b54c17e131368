import BenchAgent
import BenchCore
import Foundation
import Testing

/// The rollback check with real scripts in a temporary directory (no trainer needed).
@Suite("Rollback check")
struct RollbackCheckTests {
    func outcome(_ script: String, timeout: Double = 30) async throws -> CheckOutcome {
        var settings = CheckSettings()
        settings.rollbackScript = script
        settings.rollback.timeoutSeconds = timeout
        return try await withCheckRunner(url: "http://127.0.0.1:1", settings: settings) { try await $0.run(.rollback) }
    }

    @Test("a script whose dry run exits 0 passes, and it got --dry-run")
    func passes() async throws {
        let dir = try ScriptDirectory()
        let marker = dir.path + "/args"
        let script = try dir.script("rollback.sh", #"echo "$@" > "\#(marker)"; echo "would switch current""#)
        let outcome = try await outcome(script)
        #expect(outcome.status == .pass)
        #expect(try String(contentsOfFile: marker, encoding: .utf8) == "--dry-run\n")
        #expect(outcome.measurement("dry_run_exit_status")?.measured == "0")
    }

    @Test("missing script fails")
    func missing() async throws {
        let dir = try ScriptDirectory()
        let outcome = try await outcome(dir.path + "/nope.sh")
        #expect(outcome.status == .fail)
        #expect(outcome.reason?.hasPrefix("Rollback script not found: \(dir.path)/nope.sh") == true)
    }

    @Test("a relative path is resolved from the working directory and named in the reason")
    func relative() async throws {
        let outcome = try await outcome("deploy/definitely-not-here.sh")
        #expect(outcome.status == .fail)
        let expected = FileManager.default.currentDirectoryPath + "/deploy/definitely-not-here.sh"
        #expect(outcome.reason?.contains("deploy/definitely-not-here.sh (\(expected))") == true)
    }

    @Test("a script without execute permission fails with the fix")
    func notExecutable() async throws {
        let dir = try ScriptDirectory()
        let script = try dir.script("rollback.sh", "exit 0", executable: false)
        let outcome = try await outcome(script)
        #expect(outcome.status == .fail)
        #expect(outcome.reason?.contains("not executable") == true)
        #expect(outcome.reason?.contains("chmod +x") == true)
    }

    @Test("a failing dry run fails with its status and the end of its output")
    func dryRunFails() async throws {
        let dir = try ScriptDirectory()
        let script = try dir.script("rollback.sh", "echo 'missing: /opt/mmmbench/releases' >&2; exit 3")
        let outcome = try await outcome(script)
        #expect(outcome.status == .fail)
        #expect(outcome.reason?.contains("--dry-run` exited with status 3") == true)
        #expect(outcome.reason?.contains("missing: /opt/mmmbench/releases") == true)
    }

    @Test("a dry run that does not finish in time is killed and is an error")
    func hangs() async throws {
        let dir = try ScriptDirectory()
        // The shell waits for its child: SIGTERM goes to the whole process group.
        let script = try dir.script("rollback.sh", "echo waiting\nsleep 60\necho never")
        // Without the kill the script would exit 0 after 60 s and pass.
        let outcome = try await outcome(script, timeout: 0.3)
        #expect(outcome.status == .error)
        #expect(outcome.reason?.contains("did not finish within 0.3 s and was killed") == true,
                "\(outcome.reason ?? "")")
        #expect(outcome.reason?.hasSuffix("its output ends with:\nwaiting") == true, "\(outcome.reason ?? "")")
    }
}
