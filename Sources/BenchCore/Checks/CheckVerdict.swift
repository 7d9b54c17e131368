/// What a check concluded from what it observed, before timing is attached (``CheckOutcome``).
public struct CheckVerdict: Sendable, Equatable {
    public var status: CheckStatus
    public var measurements: [CheckMeasurement]
    /// Why it did not pass; nil for a pass.
    public var reason: String?
    public var samples: [CheckRequestSample]

    public init(
        status: CheckStatus, measurements: [CheckMeasurement] = [], reason: String? = nil,
        samples: [CheckRequestSample] = []
    ) {
        self.status = status
        self.measurements = measurements
        self.reason = reason
        self.samples = samples
    }

    /// Pass when there are no problems, else fail with the problems joined into one reason.
    static func judged(_ measurements: [CheckMeasurement], problems: [String], samples: [CheckRequestSample] = [])
        -> CheckVerdict
    {
        CheckVerdict(
            status: problems.isEmpty ? .pass : .fail, measurements: measurements,
            reason: problems.isEmpty ? nil : problems.joined(separator: "; "), samples: samples)
    }

    /// An error: the check could not be judged.
    static func error(_ reason: String, _ measurements: [CheckMeasurement] = [], samples: [CheckRequestSample] = [])
        -> CheckVerdict
    {
        CheckVerdict(status: .error, measurements: measurements, reason: reason, samples: samples)
    }

    /// The error verdict of an exchange without an answer.
    static func noAnswer(_ exchange: CheckExchange, _ measurements: [CheckMeasurement] = []) -> CheckVerdict {
        .error(
            "\(exchange.label) got no answer: \(exchange.transportError ?? "no response"). Is the trainer running "
                + "at the target URL and reachable from this host?", measurements)
    }

    /// The error verdict of an answer whose body is not the JSON object the trainer API promises.
    static func unreadable(_ exchange: CheckExchange, _ measurements: [CheckMeasurement] = []) -> CheckVerdict {
        let size = exchange.body?.count ?? 0
        let preview = exchange.body.map { CheckExchange.preview($0) } ?? "''"
        return .error(
            "\(exchange.label) answered HTTP \(exchange.status.map(String.init) ?? "-") with a body that is not a "
                + "JSON object (\(size) bytes: \(preview)); the check cannot read the figures it needs", measurements)
    }
}

/// Formats a number for reasons and measurements, as Python's `f"{x:.nf}"`.
func formatted(_ value: Double, _ places: Int = 2) -> String {
    PythonRounding.format(value, places: places)
}
