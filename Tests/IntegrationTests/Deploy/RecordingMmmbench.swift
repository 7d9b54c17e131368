import Foundation

/// A stand-in `mmmbench` for running the shell recipes in deploy/ (compose's certs service, deploy/canary.sh) with
/// the shell doing its own expansion: a directory holding an executable `mmmbench` that records its arguments (one
/// file per call, NUL-separated) and exits with the next of the statuses it was given (0 when they run out).
/// The recorded command lines are then checked by the real binary (``CommandLineChecker``).
final class RecordingMmmbench: Sendable {
    let directory: TemporaryDirectory
    var binDirectory: String { directory.file("bin") }
    private var callsDirectory: String { directory.file("calls") }

    /// - Parameter statuses: exit status of each call in order (e.g. `[0, 1]`: the first call passes, the second
    ///   fails, later ones pass).
    init(statuses: [Int32] = []) throws {
        directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("bin"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory.file("calls"), withIntermediateDirectories: true)
        let script = """
            #!/bin/sh
            calls='\(callsDirectory)'
            n=$(ls "$calls" | wc -l)
            n=$((n + 1))
            printf '%s\\0' "$@" > "$calls/$(printf '%06d' "$n")"
            status=$(printf '%s\\n' \(statuses.map(String.init).joined(separator: " ")) | sed -n "${n}p")
            exit "${status:-0}"

            """
        _ = try directory.executable("bin/mmmbench", script)
    }

    /// The calls made so far, in order, as argument vectors.
    func calls() throws -> [[String]] {
        let names = try FileManager.default.contentsOfDirectory(atPath: callsDirectory).sorted()
        return try names.map { name in
            let data = try Data(contentsOf: URL(fileURLWithPath: callsDirectory + "/" + name))
            return data.split(separator: 0, omittingEmptySubsequences: false).dropLast().map {
                String(decoding: $0, as: UTF8.self)
            }
        }
    }

    /// A PATH with the stand-in first, then the usual system directories.
    var path: String { "\(binDirectory):/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" }
}
