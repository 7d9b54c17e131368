import Foundation
import Testing

/// `mmmbench backup` end to end: a collection made by `mmmbench collect`, backed up, refused over an existing file
/// without --force, replaced with it, and the copy read by `mmmbench status`.
@Suite("Deploy: mmmbench backup")
struct BackupCommandTests {
    @Test("backup writes a readable copy, refuses to overwrite without --force, replaces with it")
    func backupCommand() async throws {
        let dir = try TemporaryDirectory()
        let (trainer, url) = try await startTrainer(["--instant"])
        defer { trainer.signal(SIGTERM) }
        try "days: 1\njob_gap_seconds: 0\n".write(toFile: dir.file("plan.yaml"), atomically: true, encoding: .utf8)
        try await Cluster.run(["collect", "--trainer-url", url, "--db", dir.file("c.sqlite"),
                               "--plan", dir.file("plan.yaml"), "--time-scale", "0"])
        let first = try ToolRun.run(ChildProcess.mmmbenchPath,
                                    ["backup", "--db", dir.file("c.sqlite"), "--out", dir.file("b.sqlite")])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("backup written: \(dir.file("b.sqlite"))") && first.stdout.contains("9/9 jobs"))
        let status = try ToolRun.run(ChildProcess.mmmbenchPath, ["status", "--db", dir.file("b.sqlite")])
        #expect(status.status == 0 && status.stdout.contains("9"), "\(status.stdout)\(status.stderr)")

        try Data("not a database".utf8).write(to: URL(fileURLWithPath: dir.file("keep.sqlite")))
        let refused = try ToolRun.run(ChildProcess.mmmbenchPath,
                                      ["backup", "--db", dir.file("c.sqlite"), "--out", dir.file("keep.sqlite")])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.file("keep.sqlite"))) == Data("not a database".utf8))
        let forced = try ToolRun.run(ChildProcess.mmmbenchPath, ["backup", "--db", dir.file("c.sqlite"),
                                                                 "--out", dir.file("keep.sqlite"), "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        let missing = try ToolRun.run(ChildProcess.mmmbenchPath,
                                      ["backup", "--db", dir.file("none.sqlite"), "--out", dir.file("x.sqlite")])
        #expect(missing.status == 1 && missing.stderr.contains("no database"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("x.sqlite")))
    }
}
