/// Faults a `ReferenceTrainer` injects on purpose, so clients and checks can be tested against a misbehaving peer.
///
/// Each fault is settable from the CLI with `--fault SPEC`; `TrainerFaults.parse(_:)` lists the specs.
public struct TrainerFaults: Sendable, Equatable {
    /// `/train` answers `trainFailureStatus` to every Nth valid request (1 = every request); nil = never.
    public var trainFailureEveryNth: Int? = nil
    /// The HTTP status of an injected `/train` failure.
    public var trainFailureStatus: Int = 500
    /// `/train` never answers a valid request (until the client gives up or the trainer stops).
    public var trainHang: Bool = false
    /// With `trainHang`, the first this many valid `/train` requests are answered normally; later ones hang.
    public var trainHangAfter: Int = 0
    /// `/train` waits this long (without using CPU) before it fits and answers a valid request; a latency that holds
    /// on a loaded machine, where fitting time does not.
    public var trainDelay: Duration? = nil
    /// `/train` answers 200 with a body that is not JSON.
    public var trainGarbageBody: Bool = false
    /// `/health` answers 503 with `"status": "unhealthy"`.
    public var unhealthy: Bool = false
    /// Warm-up steps skipped at start, so these components really are not warm and `/health` says so.
    public var coldComponents: Set<WarmComponent> = []
    /// `/api/test-data-processing` waits this long before answering.
    public var dataProcessingDelay: Duration? = nil
    /// `/api/test-parallel` answers 500 with `"status": "error"` for this `request_id` (compared as text).
    public var parallelFailingRequestID: String? = nil
    /// `/train` answers 200 to invalid payloads instead of 400/422 (without fitting).
    public var acceptInvalidPayloads: Bool = false
    /// `/api/load-test` answers 500 to four requests out of every five.
    public var loadTestFailing: Bool = false

    /// No faults.
    public static let none = TrainerFaults()

    /// No faults; set the properties to inject some.
    public init() {}

    /// Fault specs understood by `parse(_:)`, with what they do, for `--help` and docs.
    public static let specs: [(spec: String, effect: String)] = [
        ("train-error[=STATUS]", "/train answers STATUS (500) to every valid request"),
        ("train-error-every=N", "/train fails every Nth valid request"),
        ("train-hang[=AFTER]", "/train never answers a valid request (after the first AFTER (0) are answered)"),
        ("train-delay=MS", "/train waits MS milliseconds (no CPU) before it answers"),
        ("train-garbage", "/train answers 200 with a non-JSON body"),
        ("unhealthy", "/health answers 503, status \"unhealthy\""),
        ("cold=COMPONENT", "skip warming datasets or solver"),
        ("slow-data-processing[=S]", "data processing waits S (12) seconds"),
        ("parallel-fail[=ID]", "/api/test-parallel fails request_id ID (1)"),
        ("accept-invalid", "/train answers 200 to invalid payloads"),
        ("load-test-fail", "/api/load-test fails 4 requests of 5"),
    ]

    /// Faults from CLI specs (see `specs`); later specs add to earlier ones.
    public static func parse(_ specs: [String]) throws(TrainerFaultSpecError) -> TrainerFaults {
        var faults = TrainerFaults()
        for spec in specs { try faults.apply(spec) }
        return faults
    }

    /// Adds the fault described by one CLI spec.
    public mutating func apply(_ spec: String) throws(TrainerFaultSpecError) {
        let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
        let name = parts.first ?? ""
        let argument = parts.count > 1 ? parts[1] : nil
        func integer(_ range: ClosedRange<Int>) throws(TrainerFaultSpecError) -> Int? {
            guard let argument else { return nil }
            guard let value = Int(argument), range.contains(value) else {
                throw TrainerFaultSpecError(spec: spec, reason: "value must be an integer in \(range)")
            }
            return value
        }
        func noArgument() throws(TrainerFaultSpecError) {
            if argument != nil { throw TrainerFaultSpecError(spec: spec, reason: "takes no value") }
        }
        switch name {
        case "train-error":
            trainFailureStatus = try integer(400...599) ?? 500
            trainFailureEveryNth = trainFailureEveryNth ?? 1
        case "train-error-every":
            guard let every = try integer(1...1_000_000) else {
                throw TrainerFaultSpecError(spec: spec, reason: "needs a value, e.g. train-error-every=3")
            }
            trainFailureEveryNth = every
        case "train-hang":
            trainHangAfter = try integer(1...1_000_000) ?? 0
            trainHang = true
        case "train-delay":
            guard let milliseconds = try integer(0...3_600_000) else {
                throw TrainerFaultSpecError(spec: spec, reason: "needs a value in milliseconds, e.g. train-delay=250")
            }
            trainDelay = .milliseconds(milliseconds)
        case "train-garbage":
            try noArgument()
            trainGarbageBody = true
        case "unhealthy":
            try noArgument()
            unhealthy = true
        case "cold":
            guard let argument, let component = WarmComponent(rawValue: argument), component.canBeCold else {
                throw TrainerFaultSpecError(spec: spec, reason: "needs a component: cold=datasets or cold=solver")
            }
            coldComponents.insert(component)
        case "slow-data-processing":
            dataProcessingDelay = .seconds(try integer(0...3_600) ?? 12)
        case "parallel-fail":
            parallelFailingRequestID = argument ?? "1"
        case "accept-invalid":
            try noArgument()
            acceptInvalidPayloads = true
        case "load-test-fail":
            try noArgument()
            loadTestFailing = true
        default:
            let known = Self.specs.map(\.spec).joined(separator: ", ")
            throw TrainerFaultSpecError(spec: spec, reason: "unknown fault; known: \(known)")
        }
    }
}

/// A `--fault` spec that could not be understood.
public struct TrainerFaultSpecError: Error, Equatable, CustomStringConvertible {
    /// The spec as given.
    public var spec: String
    /// What is wrong with it.
    public var reason: String

    public var description: String { "invalid fault '\(spec)': \(reason)" }
}
