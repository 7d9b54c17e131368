import BenchCore
import BenchJSON
import Foundation
import PropertyBased

/// swift-property-based generators of valid check payloads (``CheckTask``) and check outcomes (``CheckOutcome``):
/// every setting and member with values of every shape (hard strings, doubles of every magnitude, optionals both
/// present and absent).
enum CheckGen {
    typealias Erased<Value> = WireGen.Erased<Value>

    static let text = WireGen.text
    static let number = WireGen.number

    /// Integers a JSON number carries exactly.
    static let integer: Erased<Int> = Gen.oneOf(
        Gen.int(in: -1_000...1_000).eraseToAny(), Gen.int(in: (1 - (1 << 53))...((1 << 53) - 1)).eraseToAny()
    ).eraseToAny()

    static let share: Erased<CheckShare> = zip(Gen.int(in: 1...6), Gen.int(in: 0...5)).map { count, index in
        (try? CheckShare(index: index % count, count: count)) ?? .whole
    }.eraseToAny()

    static let settings: Erased<CheckSettings> = zip(
        text.array(of: 0...3), text, zip(number, text), zip(number, number), number,
        zip(number, number, number, text, text), zip(integer, number),
        zip(integer, integer, text, number, number, number), zip(number, number, integer.array(of: 0...3)),
        zip(number, number, number, number, number)
    ).map { components, script, health, resources, warming, data, parallel, benchmark, errors, cost in
        var settings = CheckSettings()
        settings.requiredWarmComponents = components
        settings.rollbackScript = script
        (settings.health.timeoutSeconds, settings.health.expectedStatus) = health
        (settings.resourceAllocation.timeoutSeconds, settings.resourceAllocation.maxCPUPercent) = resources
        settings.containerWarming.timeoutSeconds = warming
        (settings.dataProcessing.timeoutSeconds, settings.dataProcessing.maxSeconds,
         settings.dataProcessing.minCompressionRatio, settings.dataProcessing.size,
         settings.dataProcessing.format) = data
        (settings.parallelProcessing.requests, settings.parallelProcessing.timeoutSeconds) = parallel
        (settings.performanceBenchmark.iterations, settings.performanceBenchmark.trials,
         settings.performanceBenchmark.country, settings.performanceBenchmark.expectedDurationMinutes,
         settings.performanceBenchmark.maxMinutes, settings.performanceBenchmark.timeoutSeconds) = benchmark
        (settings.errorHandling.timeoutSeconds, settings.errorHandling.healthTimeoutSeconds,
         settings.errorHandling.acceptedStatuses) = errors
        (settings.costEfficiency.timeoutSeconds, settings.costEfficiency.minCPUPercent,
         settings.costEfficiency.maxCPUPercent, settings.costEfficiency.minMemoryPercent,
         settings.costEfficiency.maxMemoryPercent) = cost
        return settings
    }.eraseToAny()

    /// The two settings objects `settings` leaves at their defaults, drawn separately.
    static let loadAndRollback: Erased<(LoadHandlingThresholds, RollbackThresholds)> = zip(
        integer, number, number, number, text.array(of: 0...3)
    ).map { requests, timeout, rate, rollbackTimeout, arguments in
        var load = LoadHandlingThresholds()
        (load.requests, load.timeoutSeconds, load.minSuccessRate) = (requests, timeout, rate)
        var rollback = RollbackThresholds()
        (rollback.timeoutSeconds, rollback.arguments) = (rollbackTimeout, arguments)
        return (load, rollback)
    }.eraseToAny()

    static let task: Erased<CheckTask> = zip(
        text, Gen<CheckPhase>.case, Gen<CheckKind>.case, share.optional, settings, loadAndRollback
    ).map { suiteRunID, phase, check, share, settings, more in
        var settings = settings
        (settings.loadHandling, settings.rollback) = more
        return CheckTask(suiteRunID: suiteRunID, phase: phase, check: check, share: share, settings: settings)
    }.eraseToAny()

    static let measurement: Erased<CheckMeasurement> = zip(
        text, text.optional, number.optional, text, Gen.bool.optional, text
    ).map { CheckMeasurement(name: $0, measured: $1, value: $2, threshold: $3, met: $4, unit: $5) }.eraseToAny()

    static let sample: Erased<CheckRequestSample> = zip(
        integer, Gen<CheckRequestSample.Result>.case, integer.optional, number, number, text.optional, text.optional
    ).map {
        CheckRequestSample(requestID: $0, result: $1, httpStatus: $2, startOffsetMs: $3, durationMs: $4, detail: $5,
                           agent: $6)
    }.eraseToAny()

    /// Milliseconds since 1970 from 1970 to 2100 (the outcome keeps whole milliseconds).
    static let startedAt: Erased<Date> = Gen.int(in: 0...4_102_444_800_000)
        .map { Date(timeIntervalSince1970: Double($0) / 1000) }.eraseToAny()

    static let outcome: Erased<CheckOutcome> = zip(
        zip(Gen<CheckKind>.case, Gen<CheckStatus>.case, number, startedAt), measurement.array(of: 0...3),
        text.optional, sample.array(of: 0...3), share.optional, text.optional, text.array(of: 0...3)
    ).map { head, measurements, reason, samples, share, agent, agents in
        CheckOutcome(check: head.0, status: head.1, durationSeconds: head.2, startedAt: head.3,
                     measurements: measurements, reason: reason, samples: samples, share: share, agent: agent,
                     agents: agents)
    }.eraseToAny()
}
