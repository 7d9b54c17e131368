import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends one JSON line per `/train` request to a file: `{"job_id":"baseline-1-1-fr","at":"2025-…Z"}`.
///
/// The file is opened with `O_APPEND` and each line is written with a single `write(2)`, so lines from
/// concurrent requests (and from several trainer processes sharing the file) never interleave.
final class RequestLog: Sendable {
    let path: String
    private let descriptor: Int32

    init(path: String) throws(TrainerError) {
        self.path = path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw TrainerError(
                .requestLog, operation: "open request log", path: path, reason: String(cString: strerror(errno)))
        }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Appends the line for one request; `at` is the receipt time in ISO-8601 with milliseconds.
    func record(jobID: String?, at date: Date = Date()) throws(TrainerError) {
        struct Line: Encodable {
            var jobID: String?
            var at: String
            enum CodingKeys: String, CodingKey {
                case jobID = "job_id"
                case at
            }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(jobID, forKey: .jobID)
                try container.encode(at, forKey: .at)
            }
        }
        let stamp = date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        var bytes: [UInt8]
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            bytes = Array(try encoder.encode(Line(jobID: jobID, at: stamp)))
        } catch {
            throw TrainerError(.requestLog, operation: "encode request log line", path: path, reason: "\(error)")
        }
        bytes.append(UInt8(ascii: "\n"))
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            let reason = written < 0 ? String(cString: strerror(errno)) : "short write (\(written) of \(bytes.count))"
            throw TrainerError(.requestLog, operation: "append request log line", path: path, reason: reason)
        }
    }
}
