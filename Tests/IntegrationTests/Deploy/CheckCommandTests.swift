import Foundation
import Testing

/// `mmmbench check-command -- ARGS...`: the binary's own parser and validation, without running anything.
@Suite("check-command")
struct CheckCommandTests {
    func check(_ arguments: [String]) throws -> ToolRun {
        try ToolRun.run(ChildProcess.mmmbenchPath, ["check-command", "--"] + arguments, timeout: .seconds(60))
    }

    @Test("a valid command line exits 0 naming its subcommand, and touches no file it names")
    func validLines() throws {
        let dir = try TemporaryDirectory()
        let coordinator = try check([
            "coordinator", "--listen", "0.0.0.0:7443", "--db", dir.file("collection.sqlite"),
            "--cert", dir.file("coordinator.pem"), "--key", dir.file("coordinator-key.pem"), "--ca", dir.file("ca.pem"),
            "--report-dir", dir.file("reports"), "--allow-agent", "bench-01",
        ])
        #expect(coordinator.status == 0, "\(coordinator.stderr)")
        #expect(coordinator.stdout == "valid: mmmbench coordinator\n")
        let certs = try check(["certs", "agent", "--dir", dir.file("certs"), "--name", "bench-01"])
        #expect(certs.status == 0, "\(certs.stderr)")
        #expect(certs.stdout == "valid: mmmbench certs agent\n")
        let report = try check(["report", "--db", dir.file("collection.sqlite"), "--out", dir.file("out")])
        #expect(report.status == 0, "\(report.stderr)")
        // Nothing was created: not the database, its lock, the reports or the certificates.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test("an unknown flag, a missing value and a failed validate() exit 64 with the parser's message")
    func invalidLines() throws {
        let misspelt = try check(["coordinator", "--listn", "0.0.0.0:7443", "--db", "x", "--cert", "c", "--key", "k",
                                  "--ca", "a"])
        #expect(misspelt.status == 64)
        #expect(misspelt.stderr.contains("--listn"), "\(misspelt.stderr)")
        #expect(misspelt.stderr.contains("invalid: mmmbench coordinator --listn"))

        let missing = try check(["agent", "--coordinator", "coord:7443", "--cert", "c", "--key", "k"])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("--ca"), "\(missing.stderr)")

        let slots = try check(["agent", "--coordinator", "coord:7443", "--cert", "c", "--key", "k", "--ca", "a",
                               "--trainer-url", "http://trainer:8080", "--slots", "0"])
        #expect(slots.status == 64)
        #expect(slots.stderr.contains("--slots must be 1...10000"), "\(slots.stderr)")

        let address = try check(["coordinator", "--listen", "no-port", "--db", "x", "--cert", "c", "--key", "k",
                                 "--ca", "a"])
        #expect(address.status == 64, "\(address.stdout)")
    }

    @Test("help, no subcommand, an unknown subcommand and check-command itself are not valid command lines")
    func notCommands() throws {
        for arguments in [["coordinator", "--help"], [], ["deploy"], ["check-command", "--", "status", "--db", "x"]] {
            let run = try check(arguments)
            #expect(run.status == 64, "\(arguments): \(run.stdout)")
            #expect(run.stdout.isEmpty, "\(arguments) printed \(run.stdout)")
            #expect(run.stderr.hasPrefix("invalid: mmmbench"), "\(arguments): \(run.stderr)")
        }
    }
}
