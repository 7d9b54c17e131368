import BenchJSON

extension CheckEvaluator {
    /// `test_04_parquet_data_processing`: HTTP 200, round trip (timed by the client) below the limit, a
    /// `compression_ratio` above the minimum.
    public static func dataProcessing(_ exchange: CheckExchange, _ settings: DataProcessingThresholds) -> CheckVerdict {
        guard let status = exchange.status else { return .noAnswer(exchange) }
        let seconds = exchange.durationMs / 1000
        var measurements = [
            httpStatus(status, expected: 200),
            CheckMeasurement.number(
                "round_trip_seconds", seconds, places: 3, unit: "s",
                threshold: "< \(formatted(settings.maxSeconds, 1))", met: seconds < settings.maxSeconds),
        ]
        guard status == 200 else {
            return .judged(measurements, problems: [
                "POST /api/test-data-processing answered HTTP \(status)"
                    + (exchange.errorText.map { " (\($0))" } ?? "") + ", expected 200",
            ])
        }
        guard let body = exchange.jsonObject else { return .unreadable(exchange, measurements) }
        let ratio = body["compression_ratio"]?.doubleValue
        let ratioMet = ratio.map { $0 > settings.minCompressionRatio } ?? false
        measurements.append(CheckMeasurement.number(
            "compression_ratio", ratio, places: 3, threshold: "> \(formatted(settings.minCompressionRatio, 2))",
            met: ratioMet))
        measurements.append(.info("processing_seconds (trainer)", body["processing_seconds"]?.doubleValue, places: 3,
                                  unit: "s"))
        var problems: [String] = []
        if seconds >= settings.maxSeconds {
            problems.append("data processing took \(formatted(seconds, 2)) s, not below "
                + "\(formatted(settings.maxSeconds, 1)) s: Parquet processing took too long")
        }
        if let ratio, !ratioMet {
            problems.append("compression_ratio \(formatted(ratio, 3)) is not above "
                + "\(formatted(settings.minCompressionRatio, 2)): the columnar encoding saves too little")
        } else if ratio == nil {
            problems.append("the answer has no numeric compression_ratio")
        }
        return .judged(measurements, problems: problems)
    }

    /// `test_06_performance_benchmark`: the small job answers HTTP 200 in less than the limit.
    public static func performanceBenchmark(_ exchange: CheckExchange, _ settings: PerformanceBenchmarkThresholds)
        -> CheckVerdict
    {
        guard let status = exchange.status else {
            var verdict = CheckVerdict.noAnswer(exchange)
            if exchange.durationMs / 1000 >= settings.timeoutSeconds * 0.99 {
                verdict.reason = "the benchmark job (\(settings.iterations) iterations x \(settings.trials) trials) "
                    + "got no answer within timeout_seconds \(formatted(settings.timeoutSeconds, 0)) s "
                    + "(\(exchange.transportError ?? "timeout")); raise checks.performance_benchmark.timeout_seconds "
                    + "to judge it against max_minutes \(formatted(settings.maxMinutes, 1))"
            }
            return verdict
        }
        let minutes = exchange.durationMs / 60_000
        var measurements = [
            httpStatus(status, expected: 200),
            CheckMeasurement.number(
                "duration_minutes", minutes, places: 3, unit: "min",
                threshold: "< \(formatted(settings.maxMinutes, 1))", met: minutes < settings.maxMinutes),
        ]
        if let elapsed = exchange.jsonObject?["elapsed_seconds"]?.doubleValue {
            measurements.append(.info("elapsed_seconds (trainer)", elapsed, places: 3, unit: "s"))
        }
        var problems: [String] = []
        if status != 200 {
            problems.append("POST /train with the benchmark job answered HTTP \(status)"
                + (exchange.errorText.map { " (\($0))" } ?? "") + ", expected 200")
        }
        if minutes >= settings.maxMinutes {
            problems.append("Benchmark took \(formatted(minutes, 1)) minutes, expected <"
                + "\(formatted(settings.maxMinutes, 0)) minutes")
        }
        return .judged(measurements, problems: problems)
    }

    /// `test_07_error_handling_and_recovery`: the invalid payload is refused with an accepted status and
    /// `GET /health` answers 200 afterwards.
    ///
    /// Unlike the seed (where any exception is an error), a trainer that answered the invalid payload and then
    /// gives no answer to `/health` fails: not recovering from a bad request is what this check is for.
    public static func errorHandling(
        invalid: CheckExchange, healthAfter: CheckExchange?, _ settings: ErrorHandlingThresholds
    ) -> CheckVerdict {
        guard let status = invalid.status else { return .noAnswer(invalid) }
        let accepted = settings.acceptedStatuses.map(String.init).joined(separator: " or ")
        let refused = settings.acceptedStatuses.contains(status)
        var measurements = [
            CheckMeasurement(
                name: "invalid_payload_status", measured: String(status), value: Double(status), threshold: accepted,
                met: refused),
        ]
        var problems: [String] = []
        if !refused {
            problems.append("POST /train with an invalid payload (unknown field, iterations -1, country null) "
                + "answered HTTP \(status), expected \(accepted): "
                + (status < 300 ? "the trainer accepts input it cannot run; validate the payload"
                    : "the trainer does not refuse bad input gracefully"))
        }
        if let health = healthAfter {
            let healthStatus = health.status
            measurements.append(CheckMeasurement(
                name: "health_status_after", measured: healthStatus.map(String.init) ?? "no answer",
                value: healthStatus.map(Double.init), threshold: "= 200", met: healthStatus == 200))
            if let healthStatus, healthStatus != 200 {
                problems.append("GET /health answered HTTP \(healthStatus) after the invalid payload, expected 200")
            } else if healthStatus == nil {
                problems.append("GET /health got no answer after the invalid payload "
                    + "(\(health.transportError ?? "no response")): the service did not recover from bad input")
            }
        }
        return .judged(measurements, problems: problems)
    }
}
