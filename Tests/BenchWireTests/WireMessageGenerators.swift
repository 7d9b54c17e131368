import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import PropertyBased

/// swift-property-based generators of valid ``WireMessage`` values of every type, with shrinking: strings made of
/// the pieces JSON finds hardest (escapes, control characters, every UTF-8 length, noncharacters), nested JSON
/// payloads, numbers of every magnitude and the optional fields both present and absent.
enum WireGen {
    typealias Erased<Value> = Generator<Value, AnySequence<Any>>

    static let text: Erased<String> = Gen.element(of: RandomJSON.stringPieces).array(of: 0...6)
        .map { $0.compactMap { $0 }.joined() }.eraseToAny()

    static let nonEmptyText: Erased<String> = text.map { "t" + $0 }.eraseToAny()

    static let positive: Erased<Int> = Gen.oneOf(
        Gen.int(in: 1...1_000).eraseToAny(), Gen.int(in: 1...(1 << 40)).eraseToAny(),
        Gen.int(in: 1...Int.max).eraseToAny()).eraseToAny()

    static let taskRef: Erased<TaskRef> = zip(nonEmptyText, positive).map { TaskRef(taskID: $0, attempt: $1) }
        .eraseToAny()

    static let taskRefs: Erased<[TaskRef]> = taskRef.array(of: 0...3).eraseToAny()

    static let timestamp: Erased<WireTimestamp> = Gen.element(of: [
        "2025-03-01T12:00:00.250Z", "2025-03-01T12:41:07.031+01:00", "2026-11-29T07:00:00Z",
        "1999-12-31T23:59:59.999999-08:00", "2025-03-01T12:00:00.5+01:00",
    ]).map { WireTimestamp(rawValue: $0 ?? "") ?? .now() }.eraseToAny()

    /// Finite doubles: small integers, ordinary decimals, any bit pattern, and the edges of the range.
    static let number: Erased<Double> = Gen.oneOf(
        Gen.int(in: -1_000...1_000).map { Double($0) }.eraseToAny(),
        Gen.double(in: -1e6...1e6).eraseToAny(),
        Gen.uint64().map { bits -> Double in
            let value = Double(bitPattern: bits)
            return value.isFinite ? value : 1.5
        }.eraseToAny(),
        Gen.element(of: [Double.leastNonzeroMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                         .leastNormalMagnitude, 0.1, -0.0, 1e21, 1e22, 9_007_199_254_740_994])
            .map { $0 ?? 0 }.eraseToAny()).eraseToAny()

    static func json(depth: Int) -> Erased<JSONValue> {
        let leaf: Erased<JSONValue> = Gen.oneOf(
            Gen.always(JSONValue.null).eraseToAny(), Gen.bool.map { JSONValue.bool($0) }.eraseToAny(),
            number.map { JSONValue.number($0) }.eraseToAny(), text.map { JSONValue.string($0) }.eraseToAny()
        ).eraseToAny()
        guard depth > 0 else { return leaf }
        let inner = json(depth: depth - 1)
        return Gen.oneOf(
            leaf,
            inner.array(of: 0...3).map { JSONValue.array($0) }.eraseToAny(),
            zip(text, inner).array(of: 0...3).map { members in
                JSONValue.object(Dictionary(members, uniquingKeysWith: { first, _ in first }))
            }.eraseToAny()
        ).eraseToAny()
    }

    /// A JSON value that is not `null` (payloads and outcomes are required).
    static let payload: Erased<JSONValue> = json(depth: 3).map { $0 == .null ? .object([:]) : $0 }.eraseToAny()

    static let labels: Erased<[String: String]> = zip(text, text).array(of: 0...3)
        .map { Dictionary($0, uniquingKeysWith: { first, _ in first }) }.eraseToAny()

    /// A valid message of `type`.
    static func message(_ type: WireMessageType) -> Erased<WireMessage> {
        switch type {
        case .hello:
            return zip(text, positive, labels, taskRefs, taskRefs, text.optional, text.array(of: 0...2),
                       text.optional).map {
                .hello(.init(agentID: $0, slots: $1, labels: $2, running: $3, queuedResults: $4, software: $5,
                             features: $6, trainerUnreachable: $7))
            }.eraseToAny()
        case .welcome:
            return zip(text, text, positive, Gen.int(in: 0...100_000), taskRefs, taskRefs).map {
                .welcome(.init(agentID: $0, collectionID: $1, heartbeatIntervalMS: $2,
                               heartbeatTimeoutMS: min(Int.max - 100_000, $2) + $3, reattached: $4, cancelled: $5))
            }.eraseToAny()
        case .reject:
            return zip(nonEmptyText, text).map { .reject(.init(code: RejectCode(rawValue: $0), reason: $1)) }
                .eraseToAny()
        case .assign:
            return zip(taskRef, Gen<TaskKind>.case, positive, positive, payload, text.optional, text.optional,
                       text.optional, taskRef.optional).map {
                .assign(.init(task: $0, kind: $1, leaseMS: $2, timeoutMS: $3, payload: $4, trainerPath: $5,
                              target: $6, targetURL: $7, after: $8))
            }.eraseToAny()
        case .started:
            return zip(taskRef, timestamp).map { .started(.init(task: $0, startedAt: $1)) }.eraseToAny()
        case .progress:
            return zip(taskRef, text, Gen.double(in: 0...1).optional).map {
                .progress(.init(task: $0, message: $1, fraction: $2))
            }.eraseToAny()
        case .result:
            return zip(taskRef, payload, timestamp).map { .result(.init(task: $0, outcome: $1, finishedAt: $2)) }
                .eraseToAny()
        case .ack:
            return zip(taskRef, Gen<AckStatus>.case, text).map {
                .ack(.init(task: $0, status: $1, reason: $1 == .refused ? $2 : nil))
            }.eraseToAny()
        case .heartbeat:
            // Within ±2^53: larger integers are exact only on the Codable path (see the fallback tests).
            return zip(Gen.int64(in: (1 - (1 << 53))...((1 << 53) - 1)), taskRefs, text.optional).map {
                .heartbeat(.init(sentAtMS: $0, running: $1, trainerUnreachable: $2))
            }.eraseToAny()
        case .cancel:
            return zip(taskRef, text).map { .cancel(.init(task: $0, reason: $1)) }.eraseToAny()
        case .drain:
            return text.map { .drain(.init(reason: $0)) }.eraseToAny()
        case .bye:
            return text.map { .bye(.init(reason: $0)) }.eraseToAny()
        }
    }
}
