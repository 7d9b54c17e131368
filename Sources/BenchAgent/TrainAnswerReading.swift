import BenchCore
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
struct TrainAnswerReading: Sendable, Equatable {
    /// Why the answer is a failed measurement; nil for a success.
    let failureReason: String?
    /// The trainer's figures found in the body.
    let figures: [String: Double]

    init(body: Data?, rule: SuccessRule) {
        let object = body.flatMap { $0.isEmpty ? nil : (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] }
        var figures: [String: Double] = [:]
        for key in JobRunner.figureKeys {
            if let number = object?[key] as? NSNumber, !(object?[key] is Bool) { figures[key] = number.doubleValue }
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
            case let reported as String where reported == "success":
                failureReason = nil
            case let reported as String:
                failureReason = "trainer reported status '\(reported)' with HTTP 200"
            default:
                failureReason = "HTTP 200 without a string 'status' in the body (success_rule status_success)"
            }
        }
    }
}
