import Foundation

/// Reads a plan file's text, with an error that says what is wrong with the path (Foundation's own errors read
/// "NSCocoaErrorDomain error 256" on Linux).
enum PlanFile {
    /// The file's text.
    /// - Throws: ``PlanError`` `cannot read plan file PATH: no such file` (`is a directory`, `not readable`,
    ///   `not UTF-8 text`).
    static func read(_ path: String) throws -> String {
        func failure(_ reason: String) -> PlanError {
            PlanError(path: "", reason: "cannot read plan file \(path): \(reason)")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw failure("no such file")
        }
        guard !isDirectory.boolValue else { throw failure("is a directory") }
        guard FileManager.default.isReadableFile(atPath: path), let data = FileManager.default.contents(atPath: path)
        else { throw failure("not readable") }
        guard let text = String(data: data, encoding: .utf8) else { throw failure("not UTF-8 text") }
        return text
    }
}
