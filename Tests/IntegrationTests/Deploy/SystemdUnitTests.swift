import Foundation
import Testing

/// deploy/systemd: the units pass `systemd-analyze verify`, their ExecStart lines (expanded with the example
/// environment files) are valid `mmmbench` invocations, and they keep the promises of their comments.
@Suite("Deploy: systemd units")
struct SystemdUnitTests {
    static let directory = "deploy/systemd"
    static let installedBinary = "/usr/local/bin/mmmbench"
    /// Instances the agent template is expanded for (any valid agent name works the same).
    static let agentInstances = ["bench-01", "bench-02", "bench-03"]

    static func unit(_ name: String) throws -> SystemdUnit {
        SystemdUnit(text: try DeployTestSupport.read("\(directory)/\(name)"))
    }

    static func environment(_ name: String) throws -> [String: String] {
        try SystemdUnit.environment(fromFile: DeployTestSupport.read("\(directory)/\(name)"))
    }

    /// Every ExecStart of the two units, expanded as systemd would with the example environment files.
    static func commandLines() throws -> [FoundCommandLine] {
        var lines: [FoundCommandLine] = []
        let coordinator = try unit("mmmbench-coordinator.service")
        for exec in coordinator.values("ExecStart") {
            let argv = try SystemdUnit.expand(
                commandLine: exec, specifiers: ["S": "/var/lib"], environment: environment("coordinator.env"))
            lines.append(FoundCommandLine(
                arguments: Array(argv.dropFirst()), source: "\(directory)/mmmbench-coordinator.service ExecStart"))
        }
        let agent = try unit("mmmbench-agent@.service")
        for instance in agentInstances {
            for exec in agent.values("ExecStart") {
                let argv = try SystemdUnit.expand(
                    commandLine: exec, specifiers: ["S": "/var/lib", "i": instance],
                    environment: environment("agent.env"))
                lines.append(FoundCommandLine(
                    arguments: Array(argv.dropFirst()),
                    source: "\(directory)/mmmbench-agent@.service ExecStart (instance \(instance))"))
            }
        }
        return lines
    }

    @Test("systemd-analyze verify accepts both units without a warning",
          .enabled(if: DeployTestSupport.toolOrCI("systemd-analyze"), "needs systemd-analyze (Debian: systemd)"))
    func verify() throws {
        try DeployTestSupport.requireTool("systemd-analyze", installedBy: "apt-get install systemd")
        let scratch = try TemporaryDirectory()
        for name in ["mmmbench-coordinator.service", "mmmbench-agent@.service"] {
            let text = try DeployTestSupport.read("\(Self.directory)/\(name)")
            #expect(text.contains("ExecStart=\(Self.installedBinary) "), "\(name) runs \(Self.installedBinary)")
            // verify refuses a unit whose binary does not exist: point it at the binary this test runs.
            let copy = SystemdUnit.replacingBinary(in: text, from: Self.installedBinary, to: ChildProcess.mmmbenchPath)
            try copy.write(toFile: scratch.file(name), atomically: true, encoding: .utf8)
            let run = try ToolRun.run("systemd-analyze", ["verify", "--man=no", scratch.file(name)])
            #expect(run.status == 0, "systemd-analyze verify \(name): \(run.stderr)")
            #expect(run.stderr.isEmpty && run.stdout.isEmpty, "systemd-analyze verify \(name) warned:\n\(run.stderr)")
        }
    }

    @Test("a unit with a misspelt hardening value makes verify warn (the check above can fail)",
          .enabled(if: DeployTestSupport.toolOrCI("systemd-analyze"), "needs systemd-analyze (Debian: systemd)"))
    func verifyNoticesMistakes() throws {
        try DeployTestSupport.requireTool("systemd-analyze", installedBy: "apt-get install systemd")
        let scratch = try TemporaryDirectory()
        let text = try DeployTestSupport.read("\(Self.directory)/mmmbench-coordinator.service")
        let broken = SystemdUnit.replacingBinary(in: text, from: Self.installedBinary, to: ChildProcess.mmmbenchPath)
            .replacingOccurrences(of: "ProtectSystem=strict", with: "ProtectSystem=strikt")
        #expect(broken != text)
        try broken.write(toFile: scratch.file("mmmbench-coordinator.service"), atomically: true, encoding: .utf8)
        let run = try ToolRun.run(
            "systemd-analyze", ["verify", "--man=no", scratch.file("mmmbench-coordinator.service")])
        #expect(run.stderr.contains("strikt"), "verify did not report the bad value: \(run.stderr)")
    }

    @Test("every ExecStart, expanded with the example environment files, is a valid mmmbench invocation")
    func execStartLinesAreValid() throws {
        let lines = try Self.commandLines()
        #expect(lines.count == 1 + Self.agentInstances.count)
        let failures = try CommandLineChecker.failures(lines)
        #expect(failures.isEmpty, "\(CommandLineChecker.report(failures))")
    }

    @Test("the command lines write only under the unit's StateDirectory, read certificates from /etc/mmmbench")
    func pathsMatchTheSandbox() throws {
        for name in ["mmmbench-coordinator.service", "mmmbench-agent@.service"] {
            let unit = try Self.unit(name)
            let state = try #require(unit.value("StateDirectory"), "\(name) has one StateDirectory")
            let lines = try Self.commandLines().filter { $0.source.contains(name) }
            #expect(!lines.isEmpty)
            for line in lines {
                for (flag, value) in zip(line.arguments, line.arguments.dropFirst()) {
                    if ["--db", "--report-dir", "--outbox"].contains(flag) {
                        #expect(value.hasPrefix("/var/lib/\(state)/"), "\(line): \(flag) outside the StateDirectory")
                    }
                    if ["--cert", "--key", "--ca", "--crl"].contains(flag) {
                        #expect(value.hasPrefix("/etc/mmmbench/"), "\(line): \(flag) not in /etc/mmmbench")
                    }
                }
            }
        }
        // Each agent instance has its own outbox and its own certificate, named after the instance.
        for instance in Self.agentInstances {
            let line = try #require(try Self.commandLines().first { $0.source.hasSuffix("(instance \(instance))") })
            #expect(line.arguments.contains("/var/lib/mmmbench/\(instance).outbox.sqlite"))
            #expect(line.arguments.contains("/etc/mmmbench/\(instance).pem"))
            #expect(line.arguments.contains("/etc/mmmbench/\(instance)-key.pem"))
        }
    }

    @Test("both units run as the dedicated user, restart on failure only, and keep the hardening settings")
    func hardening() throws {
        let sysusers = try DeployTestSupport.read("\(Self.directory)/mmmbench.sysusers.conf")
        #expect(sysusers.split(separator: "\n").contains { $0.hasPrefix("u mmmbench ") })
        let required: [(String, String)] = [
            ("User", "mmmbench"), ("Group", "mmmbench"), ("Restart", "on-failure"), ("SuccessExitStatus", "130"),
            ("ProtectSystem", "strict"), ("ProtectHome", "yes"), ("PrivateTmp", "yes"), ("NoNewPrivileges", "yes"),
            ("PrivateDevices", "yes"), ("CapabilityBoundingSet", ""), ("RestrictNamespaces", "yes"),
            ("ExecReload", "/bin/kill -HUP $MAINPID"),
        ]
        for name in ["mmmbench-coordinator.service", "mmmbench-agent@.service"] {
            let unit = try Self.unit(name)
            for (key, value) in required {
                #expect(unit.value(key) == value, "\(name): \(key)=\(value)")
            }
            #expect(unit.values("EnvironmentFile").first?.hasPrefix("/etc/mmmbench/") == true)
        }
    }

    @Test("systemd-analyze security rates both units' exposure at 2.0 or lower (1.5 'OK' when written)",
          .enabled(if: DeployTestSupport.toolOrCI("systemd-analyze"), "needs systemd-analyze (Debian: systemd)"))
    func exposure() throws {
        try DeployTestSupport.requireTool("systemd-analyze", installedBy: "apt-get install systemd")
        let scratch = try TemporaryDirectory()
        for name in ["mmmbench-coordinator.service", "mmmbench-agent@.service"] {
            let text = try DeployTestSupport.read("\(Self.directory)/\(name)")
            let copy = SystemdUnit.replacingBinary(in: text, from: Self.installedBinary, to: ChildProcess.mmmbenchPath)
            try copy.write(toFile: scratch.file(name), atomically: true, encoding: .utf8)
            let run = try ToolRun.run(
                "systemd-analyze", ["security", "--offline=yes", "--no-pager", scratch.file(name)])
            let verdict = run.stdout.split(separator: "\n").last { $0.contains("Overall exposure level") }
            let line = try #require(verdict.map(String.init), "no exposure line:\n\(run.stdout)\(run.stderr)")
            print("\(name): \(line.trimmingCharacters(in: .whitespaces))")
            let score = try #require(Self.exposureScore(line), "unreadable exposure line: \(line)")
            // 0 is fully locked down, 10 unprotected; what is left open is the network (the units' purpose).
            #expect(score <= 2.0, "\(name): \(line)")
        }
    }

    /// The number in `... Overall exposure level for X: 1.9 OK :-)`.
    static func exposureScore(_ line: String) -> Double? {
        guard let colon = line.range(of: ": ", options: .backwards) else { return nil }
        let rest = line[colon.upperBound...].drop { !$0.isNumber }
        return Double(rest.prefix { $0.isNumber || $0 == "." })
    }
}
