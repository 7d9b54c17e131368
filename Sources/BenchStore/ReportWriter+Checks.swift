import BenchCore
import Foundation

extension ReportWriter {
    /// The base name of a phase's test report files: `test_report` for a standalone run, `test_report_before` and
    /// `test_report_after` for the runs a collection makes around its matrix.
    public static func testReportBaseName(for phase: CheckPhase) -> String {
        phase == .standalone ? "test_report" : "test_report_\(phase.rawValue)"
    }

    /// Writes `<base>.md`, `<base>.junit.xml` and `<base>.json` for the newest suite run of each phase of a
    /// collection (nil: runs stored without a collection), in `formats` (md, junit, json); nothing when there are
    /// none. Returns the files written.
    public func writeTestReports(
        to directory: String, collectionID: String?, formats: Set<ReportFormat> = ReportFormat.all
    ) throws -> [String] {
        let reports = try store.latestTestSuiteReports(collectionID: collectionID)
        guard !reports.isEmpty else { return [] }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var files: [String] = []
        for report in reports {
            for (name, contents) in report.renderedFiles(baseName: Self.testReportBaseName(for: report.phase))
            where ReportFormat.includes(testReportFile: name, in: formats) {
                let path = (directory as NSString).appendingPathComponent(name)
                try Data(contents.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
                files.append(path)
            }
        }
        return files
    }
}
