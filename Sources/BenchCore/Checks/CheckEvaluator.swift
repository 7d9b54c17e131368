import BenchJSON

/// The pass criteria of the ten checks as pure functions from what was observed to a ``CheckVerdict``: no I/O, so
/// they judge the same on an agent, in `mmmbench test-suite` and in tests.
///
/// Seed semantics: no answer, or a body that must be JSON and is not, is an `error` (the seed's test raised);
/// an answer that misses a criterion is a `fail` (an assertion). Comparisons are strict, as `assertLess`.
public enum CheckEvaluator {
    /// `test_01_health_endpoint_response`: HTTP 200, `status` is the expected one, `warm_status` present.
    public static func health(_ exchange: CheckExchange, _ settings: HealthThresholds) -> CheckVerdict {
        guard let status = exchange.status else { return .noAnswer(exchange) }
        var measurements = [httpStatus(status, expected: 200)]
        let body = exchange.jsonObject
        let reported = body?["status"]
        let statusMet = reported?.stringValue == settings.expectedStatus
        let warmPresent = body?["warm_status"].map { if case .object = $0 { true } else { false } } ?? false
        if body != nil || status == 200 {
            measurements.append(CheckMeasurement(
                name: "status", measured: reported?.checkText, threshold: "= \(settings.expectedStatus)",
                met: statusMet))
            measurements.append(CheckMeasurement(
                name: "warm_status", measured: warmPresent ? "present" : "missing", threshold: "present",
                met: warmPresent))
        }
        if status != 200 {
            var reason = "GET /health answered HTTP \(status), expected 200"
            if let reported { reason += "; the trainer reports status '\(reported.checkText)'" }
            if let error = exchange.errorText { reason += " (\(error))" }
            return .judged(measurements, problems: [reason + ". The service says it is not fit to serve: look at "
                + "its logs and the dependencies its health check covers"])
        }
        guard body != nil else { return .unreadable(exchange, measurements) }
        var problems: [String] = []
        if !statusMet {
            problems.append("the trainer reports status '\(reported?.checkText ?? "(none)")', expected "
                + "'\(settings.expectedStatus)'")
        }
        if !warmPresent {
            problems.append("the /health body has no warm_status object, so container warming cannot be verified")
        }
        return .judged(measurements, problems: problems)
    }

    /// `test_02_resource_allocation`: `checks.cpu_usage` and `checks.memory_usage` reported, CPU below the limit.
    public static func resourceAllocation(_ exchange: CheckExchange, _ settings: ResourceAllocationThresholds)
        -> CheckVerdict
    {
        guard let status = exchange.status else { return .noAnswer(exchange) }
        guard let body = exchange.jsonObject else { return .unreadable(exchange) }
        let cpu = body["checks"]?["cpu_usage"]?.doubleValue
        let memory = body["checks"]?["memory_usage"]?.doubleValue
        let cpuMet = cpu.map { $0 < settings.maxCPUPercent } ?? false
        let measurements = [
            CheckMeasurement.number(
                "checks.cpu_usage", cpu, places: 1, unit: "%",
                threshold: "< \(formatted(settings.maxCPUPercent, 1))", met: cpuMet),
            CheckMeasurement(
                name: "checks.memory_usage", measured: memory.map { formatted($0, 1) }, value: memory,
                threshold: "reported", met: memory != nil, unit: "%"),
            CheckMeasurement.info("http_status", Double(status), places: 0),
        ]
        var problems: [String] = []
        if cpu == nil { problems.append("/health does not report checks.cpu_usage (a number)") }
        if memory == nil { problems.append("/health does not report checks.memory_usage (a number)") }
        if let cpu, !cpuMet {
            problems.append("CPU usage \(formatted(cpu, 1)) % is not below \(formatted(settings.maxCPUPercent, 1)) %: "
                + "CPU usage too high during idle; check what keeps the service busy or give it more CPU")
        }
        return .judged(measurements, problems: problems)
    }

    /// `test_03_container_warming`: every required component is `true` in `warm_status`.
    public static func containerWarming(_ exchange: CheckExchange, requiredComponents: [String]) -> CheckVerdict {
        guard exchange.status != nil else { return .noAnswer(exchange) }
        guard let body = exchange.jsonObject else { return .unreadable(exchange) }
        let warm: [String: JSONValue] = if case .object(let object) = body["warm_status"] { object } else { [:] }
        var measurements: [CheckMeasurement] = []
        var cold: [String] = []
        for component in requiredComponents {
            let value = warm[component]
            let met = value == .bool(true)
            measurements.append(CheckMeasurement(
                name: "warm_status.\(component)", measured: value?.checkText, threshold: "true", met: met))
            if !met { cold.append("\(component) (\(value?.checkText ?? "not reported"))") }
        }
        guard !cold.isEmpty else { return .judged(measurements, problems: []) }
        let reported = warm.keys.sorted()
        return .judged(measurements, problems: [
            "component\(cold.count == 1 ? "" : "s") not properly warmed: \(cold.joined(separator: ", ")). Warm "
                + "\(cold.count == 1 ? "it" : "them") before the service takes traffic, or set "
                + "checks.required_warm_components to what this trainer reports ("
                + (reported.isEmpty ? "it reports none" : reported.joined(separator: ", ")) + ")",
        ])
    }

    /// `test_08_cost_efficiency_validation`: CPU and memory usage inside the band; a missing figure counts as 0, as
    /// in the seed.
    public static func costEfficiency(_ exchange: CheckExchange, _ settings: CostEfficiencyThresholds) -> CheckVerdict {
        guard exchange.status != nil else { return .noAnswer(exchange) }
        guard let body = exchange.jsonObject else { return .unreadable(exchange) }
        let cpu = body["checks"]?["cpu_usage"]?.doubleValue
        let memory = body["checks"]?["memory_usage"]?.doubleValue
        var measurements: [CheckMeasurement] = []
        var problems: [String] = []
        func band(_ name: String, _ label: String, _ reported: Double?, _ low: Double, _ high: Double,
                  tooLow: String, tooHigh: String) {
            let value = reported ?? 0
            let met = value > low && value < high
            measurements.append(CheckMeasurement(
                name: name, measured: reported.map { formatted($0, 1) } ?? "not reported (0)", value: value,
                threshold: "> \(formatted(low, 1)) and < \(formatted(high, 1))", met: met, unit: "%"))
            if value <= low {
                problems.append("\(label) \(formatted(value, 1)) % is not above \(formatted(low, 1)) %: \(tooLow)")
            } else if value >= high {
                problems.append("\(label) \(formatted(value, 1)) % is not below \(formatted(high, 1)) %: \(tooHigh)")
            }
        }
        band("checks.cpu_usage", "CPU usage", cpu, settings.minCPUPercent, settings.maxCPUPercent,
             tooLow: "CPU usage too low - resources may be wasted (size the service down, or run the check under load)",
             tooHigh: "CPU usage too high - may need more resources")
        band("checks.memory_usage", "memory usage", memory, settings.minMemoryPercent, settings.maxMemoryPercent,
             tooLow: "Memory usage too low (the service holds much more memory than it uses)",
             tooHigh: "Memory usage too high (give the service more memory)")
        return .judged(measurements, problems: problems)
    }

    static func httpStatus(_ status: Int, expected: Int) -> CheckMeasurement {
        CheckMeasurement(
            name: "http_status", measured: String(status), value: Double(status), threshold: "= \(expected)",
            met: status == expected)
    }
}
