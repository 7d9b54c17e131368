/// One request of a concurrent check (parallel processing, load handling), as the sending host saw it.
///
/// On the wire it is read and written by BenchProtocol's `CheckOutcome+Wire.swift`; `Codable` (same keys) is for
/// ``CheckOutcome``'s stored and reported JSON.
public struct CheckRequestSample: Codable, Sendable, Equatable {
    /// What became of one request.
    public enum Result: String, Codable, Sendable, CaseIterable {
        /// Counted as a success by the check's criterion.
        case succeeded
        /// The trainer answered, and the answer is not a success.
        case failed
        /// No answer: connection refused, reset, timeout.
        case noAnswer = "no_answer"
        /// An answer whose body the check needs and cannot read (not the JSON object the API promises).
        case unreadable
    }

    /// 0-based id, sent as `request_id`.
    public var requestID: Int
    public var result: Result
    /// HTTP status, nil without an answer.
    public var httpStatus: Int?
    /// Milliseconds from the start of the check (on the sending host) to sending this request.
    public var startOffsetMs: Double
    /// Milliseconds from sending to the last byte of the answer (or to giving up).
    public var durationMs: Double
    /// For anything but a success: why, e.g. `HTTP 500: injected failure...`, `timeout after 30.0 s`.
    public var detail: String?
    /// The agent that sent it, when run by an agent.
    public var agent: String?

    public init(
        requestID: Int, result: Result, httpStatus: Int?, startOffsetMs: Double, durationMs: Double,
        detail: String?, agent: String? = nil
    ) {
        self.requestID = requestID
        self.result = result
        self.httpStatus = httpStatus
        self.startOffsetMs = startOffsetMs
        self.durationMs = durationMs
        self.detail = detail
        self.agent = agent
    }

    enum CodingKeys: String, CodingKey {
        case result, detail, agent
        case requestID = "request_id"
        case httpStatus = "http_status"
        case startOffsetMs = "start_offset_ms"
        case durationMs = "duration_ms"
    }
}
