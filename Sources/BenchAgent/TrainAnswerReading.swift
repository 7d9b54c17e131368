import BenchCore
import BenchJSON
import Foundation

/// What the body of a trainer's HTTP 200 answer to `POST /train` means under a ``SuccessRule``.
///
/// - `http_200` (the seed's rule, the default): a success whatever the body is: empty, not JSON, or JSON with any
///   `status`.
/// - `status_success`: the body must be a JSON object whose `status` is `"success"`; otherwise a failure naming
///   what was wrong.
///
/// Under both rules the trainer's figures (``JobRunner/figureKeys``, e.g. its own `elapsed_seconds`) are taken
/// from a JSON object body when they are numbers.
///
/// The body is read by BenchJSON's ``JSONReader`` (RFC 8259, UTF-8; of duplicate keys the first counts), as every
/// JSON the agent reads. A body it refuses is not a JSON object: a success without figures under `http_200`, an
/// unreadable body under `status_success`.
struct TrainAnswerReading: Sendable, Equatable {
    /// Why the answer is a failed measurement; nil for a success.
    let failureReason: String?
    /// The trainer's figures found in the body.
    let figures: [String: Double]

    init(body: Data?, rule: SuccessRule) {
        let object = body.flatMap(Self.object(of:))
        var figures: [String: Double] = [:]
        for key in JobRunner.figureKeys {
            if case .number(let number)? = object?[key] { figures[key] = number }
        }
        self.figures = figures
        switch rule {
        case .http200:
            failureReason = nil
        case .statusSuccess:
            guard let object else {
                failureReason = "unreadable body: HTTP 200 without a JSON object (\(body?.count ?? 0) bytes; "
                    + "success_rule status_success)"
                return
            }
            switch object["status"] {
            case .string("success")?:
                failureReason = nil
            case .string(let reported)?:
                failureReason = "trainer reported status '\(reported)' with HTTP 200"
            default:
                failureReason = "HTTP 200 without a string 'status' in the body (success_rule status_success)"
            }
        }
    }

    /// The members of `body` if it is one JSON object; nil for an empty body, anything else or JSON it is not.
    static func object(of body: Data) -> [String: JSONValue]? {
        guard !body.isEmpty else { return nil }
        let value = body.withUnsafeBytes { bytes in try? JSONReader.value(from: bytes) }
        guard case .object(let members)? = value else { return nil }
        return members
    }
}
