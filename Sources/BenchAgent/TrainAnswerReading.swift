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

    /// The members of an answer this reading looks at.
    static let memberNames = ["status"] + JobRunner.figureKeys

    init(body: Data?, rule: SuccessRule) {
        let object = body.flatMap { Self.members(of: $0, named: Self.memberNames) }
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

    /// The members of `body` named in `names` (the first of each, as ``JSONReader`` reads duplicate keys), when the
    /// body is one JSON object; nil for an empty body, anything else or JSON it is not. The other members are read
    /// (and validated) but not kept: no dictionary of the whole object is built.
    static func members(of body: Data, named names: [String]) -> [String: JSONValue]? {
        guard !body.isEmpty else { return nil }
        var found: [String: JSONValue] = [:]
        let isObject = body.withUnsafeBytes { bytes in
            try? JSONReader.forEachMember(ofObjectIn: bytes) { key, value in
                for name in names where Self.spells(key, name) {
                    if found[name] == nil { found[name] = value }
                    return
                }
            }
        }
        return isObject == true ? found : nil
    }

    /// Whether the UTF-8 `key` is `name`.
    private static func spells(_ key: UnsafeBufferPointer<UInt8>, _ name: String) -> Bool {
        var name = name
        return name.withUTF8 { utf8 in
            guard utf8.count == key.count else { return false }
            guard let left = utf8.baseAddress, let right = key.baseAddress else { return utf8.isEmpty }
            return memcmp(left, right, utf8.count) == 0
        }
    }
}
