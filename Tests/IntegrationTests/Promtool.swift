import Foundation
import Testing

/// `promtool check metrics` (Debian's `prometheus` package, installed by scripts/ci-setup.d/40-promtool.sh) on an
/// exposition text: a failure names promtool's findings. Without promtool the check fails with that reason when
/// `CI=true` and is skipped (with a note on stderr) otherwise.
enum Promtool {
    static var path: String? {
        ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func check(_ text: String, what: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard let promtool = path else {
            let reason = "promtool not found (Debian's prometheus package; scripts/ci-setup.d/40-promtool.sh)"
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                Issue.record("\(what): \(reason)", sourceLocation: sourceLocation)
            } else {
                FileHandle.standardError.write(Data("skipping promtool check of \(what): \(reason)\n".utf8))
            }
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0 && report.isEmpty,
                "promtool check metrics on \(what): \(report)\n\(text)", sourceLocation: sourceLocation)
    }
}
