import BenchJSON

extension CheckEvaluator {
    /// A `test_05` request: success when the body's `status` is `success` (as the seed, whatever the HTTP status).
    public static func parallelSample(requestID: Int, _ exchange: CheckExchange, agent: String? = nil)
        -> CheckRequestSample
    {
        let (result, detail): (CheckRequestSample.Result, String?)
        if exchange.status == nil {
            (result, detail) = (.noAnswer, exchange.transportError ?? "no response")
        } else if let body = exchange.jsonObject {
            let status = body["status"]?.checkText
            (result, detail) = status == "success"
                ? (.succeeded, nil)
                : (.failed, "HTTP \(exchange.status ?? 0), status '\(status ?? "(none)")'"
                    + (exchange.errorText.map { ": \($0)" } ?? ""))
        } else {
            (result, detail) = (.unreadable, "HTTP \(exchange.status ?? 0) without a JSON object "
                + (exchange.body.map { CheckExchange.preview($0) } ?? "''"))
        }
        return sample(requestID, result, exchange, detail, agent)
    }

    /// A `test_09` request: success when the answer is HTTP 200 (as the seed).
    public static func loadSample(requestID: Int, _ exchange: CheckExchange, agent: String? = nil)
        -> CheckRequestSample
    {
        guard let status = exchange.status else {
            return sample(requestID, .noAnswer, exchange, exchange.transportError ?? "no response", agent)
        }
        guard status == 200 else {
            return sample(requestID, .failed, exchange, "HTTP \(status)" + (exchange.errorText.map { ": \($0)" } ?? ""),
                          agent)
        }
        return sample(requestID, .succeeded, exchange, nil, agent)
    }

    /// `test_05_parallel_processing_capability`: every request of `requestIDs` (all of the check's, or one
    /// share's) answered `status: success`. A request without an answer or with an unreadable body makes it an
    /// error, as in the seed.
    public static func parallelProcessing(_ samples: [CheckRequestSample], requestIDs: [Int]) -> CheckVerdict {
        let expected = requestIDs.count
        let sorted = samples.sorted { $0.requestID < $1.requestID }
        let succeeded = sorted.filter { $0.result == .succeeded }.count
        let measurements = concurrencyFigures(sorted, expected: expected) + [
            CheckMeasurement(
                name: "succeeded", measured: String(succeeded), value: Double(succeeded),
                threshold: "= \(expected) (all)", met: succeeded == expected && sorted.count == expected),
        ]
        if let missing = missingRequests(sorted, requestIDs) {
            return .error(missing, measurements, samples: sorted)
        }
        let broken = sorted.filter { $0.result == .noAnswer || $0.result == .unreadable }
        if !broken.isEmpty {
            return .error(
                "\(broken.count) of \(expected) parallel requests could not be judged: " + list(broken), measurements,
                samples: sorted)
        }
        let failed = sorted.filter { $0.result == .failed }
        guard !failed.isEmpty else { return .judged(measurements, problems: [], samples: sorted) }
        return .judged(measurements, problems: [
            "\(failed.count) of \(expected) parallel requests did not answer status 'success': " + list(failed),
        ], samples: sorted)
    }

    /// `test_09_load_handling`: more than `minSuccessRate` of the requests of `requestIDs` (all of the check's,
    /// or one share's) answered HTTP 200. A request without an answer counts as a failed one (the seed's
    /// `except: return False`); only when none got an answer is it an error (the target is unreachable, there is
    /// no load behaviour to judge).
    public static func loadHandling(
        _ samples: [CheckRequestSample], requestIDs: [Int], _ settings: LoadHandlingThresholds
    ) -> CheckVerdict {
        let expected = requestIDs.count
        let sorted = samples.sorted { $0.requestID < $1.requestID }
        let succeeded = sorted.filter { $0.result == .succeeded }.count
        let rate = expected > 0 ? Double(succeeded) / Double(expected) : 0
        let measurements = concurrencyFigures(sorted, expected: expected) + [
            CheckMeasurement.info("succeeded", Double(succeeded), places: 0),
            CheckMeasurement.number(
                "success_rate", rate, places: 2, threshold: "> \(formatted(settings.minSuccessRate, 2))",
                met: rate > settings.minSuccessRate),
        ]
        if let missing = missingRequests(sorted, requestIDs) {
            return .error(missing, measurements, samples: sorted)
        }
        if !sorted.isEmpty, sorted.allSatisfy({ $0.result == .noAnswer }) {
            return .error(
                "none of the \(expected) load requests got an answer: " + list(Array(sorted.prefix(1)))
                    + ". Is the trainer running at the target URL and reachable from this host?",
                measurements, samples: sorted)
        }
        guard rate <= settings.minSuccessRate else { return .judged(measurements, problems: [], samples: sorted) }
        let failed = sorted.filter { $0.result != .succeeded }
        return .judged(measurements, problems: [
            "Only \(formatted(rate * 100, 0))% requests succeeded under load (\(succeeded) of \(expected)), more "
                + "than \(formatted(settings.minSuccessRate * 100, 0))% must: " + list(failed),
        ], samples: sorted)
    }

    // MARK: - Helpers

    private static func sample(
        _ requestID: Int, _ result: CheckRequestSample.Result, _ exchange: CheckExchange, _ detail: String?,
        _ agent: String?
    ) -> CheckRequestSample {
        CheckRequestSample(
            requestID: requestID, result: result, httpStatus: exchange.status, startOffsetMs: exchange.startOffsetMs,
            durationMs: exchange.durationMs, detail: detail, agent: agent)
    }

    /// Requests sent, the most in flight at one time, and the slowest one.
    private static func concurrencyFigures(_ samples: [CheckRequestSample], expected: Int) -> [CheckMeasurement] {
        [
            CheckMeasurement(
                name: "requests", measured: String(samples.count), value: Double(samples.count),
                threshold: "= \(expected)", met: samples.count == expected),
            .info("peak_in_flight", Double(peakInFlight(samples)), places: 0),
            .info("slowest_request_ms", samples.map(\.durationMs).max(), places: 1, unit: "ms"),
        ]
    }

    /// The largest number of requests whose [start, end) intervals overlap.
    static func peakInFlight(_ samples: [CheckRequestSample]) -> Int {
        var events: [(at: Double, delta: Int)] = []
        for sample in samples {
            events.append((sample.startOffsetMs, 1))
            events.append((sample.startOffsetMs + sample.durationMs, -1))
        }
        // Ends before starts at the same instant: back-to-back requests do not overlap.
        events.sort { lhs, rhs in lhs.at == rhs.at ? lhs.delta < rhs.delta : lhs.at < rhs.at }
        var current = 0
        var peak = 0
        for (_, delta) in events {
            current += delta
            peak = max(peak, current)
        }
        return peak
    }

    private static func missingRequests(_ samples: [CheckRequestSample], _ requestIDs: [Int]) -> String? {
        let ids = Set(samples.map(\.requestID))
        let missing = requestIDs.filter { !ids.contains($0) }
        guard !missing.isEmpty else { return nil }
        return "\(missing.count) of \(requestIDs.count) requests have no result (request ids "
            + missing.prefix(10).map(String.init).joined(separator: ", ")
            + "): a share of the check was not run or its result was lost"
    }

    private static func list(_ samples: [CheckRequestSample]) -> String {
        let shown = samples.prefix(5).map { sample in
            "request \(sample.requestID)" + (sample.agent.map { " from \($0)" } ?? "") + ": "
                + (sample.detail ?? sample.result.rawValue)
        }
        return shown.joined(separator: "; ") + (samples.count > 5 ? "; and \(samples.count - 5) more" : "")
    }
}
