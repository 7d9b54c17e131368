import BenchJSON
import BenchProtocol
import BenchWire
import Foundation

/// Seeded random ``JSONValue``s and messages for the equivalence tests: nested containers, every string escape,
/// unicode (combining marks, astral characters, noncharacters), and numbers of every magnitude.
struct RandomJSON {
    var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    /// Pieces strings are made of: plain text, characters JSON must escape, and non-ASCII of every UTF-8 length.
    static let stringPieces: [String] = [
        "a", "baseline-1-2-US", "Z", " ", "0", "/", "\"", "\\", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{00}",
        "\u{01}", "\u{1F}", "\u{7F}", "é", "e\u{301}", "ß", "中文", "😀", "\u{1F1FA}\u{1F1F8}", "\u{2028}",
        "\u{FFFE}", "\u{FFFF}", "\u{10FFFF}", "\u{212A}", "_", "~",
    ]

    mutating func value(depth: Int = 0, maxDepth: Int = 4) -> JSONValue {
        switch random.next(below: depth >= maxDepth ? 4 : 7) {
        case 0: return .null
        case 1: return .bool(random.next(below: 2) == 0)
        case 2: return .number(number())
        case 3: return .string(string())
        case 4, 5:
            return .array((0..<random.next(below: 5)).map { _ in value(depth: depth + 1, maxDepth: maxDepth) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<random.next(below: 6) { members[string()] = value(depth: depth + 1, maxDepth: maxDepth) }
            return .object(members)
        }
    }

    mutating func string() -> String {
        (0..<random.next(below: 8)).map { _ in Self.stringPieces[random.next(below: Self.stringPieces.count)] }
            .joined()
    }

    mutating func number() -> Double {
        switch random.next(below: 9) {
        case 0: return Double(random.next(below: 2001) - 1000)
        case 1:
            let bits = Double(bitPattern: random.next())
            return bits.isFinite ? bits : 1.5
        case 2: return Double(Int64(bitPattern: random.next()) >> UInt64(random.next(below: 64)))
        case 3: return random.next(below: 2) == 0 ? -0.0 : 0.0
        case 4: return 9_007_199_254_740_992 + Double(random.next(below: 41) - 20)
        case 5: return Double(random.next() >> 11) / 9_007_199_254_740_992
        case 6: return Double(random.next(below: 1_000_000)) / [10.0, 100, 1_000, 1e6][random.next(below: 4)]
        case 7: return pow(10, Double(random.next(below: 632) - 323))
        default: return [Double.leastNonzeroMagnitude, .greatestFiniteMagnitude, .leastNormalMagnitude, 0.1, 1e16,
                         1e21, 1e22, 1e23, 123_456_789_012_345_680][random.next(below: 9)]
        }
    }

    mutating func taskRef() -> TaskRef {
        TaskRef(taskID: "t" + string(), attempt: 1 + random.next(below: 3) * random.next(below: 1_000_000))
    }

    mutating func taskRefs() -> [TaskRef] { (0..<random.next(below: 4)).map { _ in taskRef() } }

    mutating func positive() -> Int { 1 + random.next(below: 1 << random.next(below: 40)) }

    mutating func timestamp() -> WireTimestamp {
        let stamps = ["2025-03-01T12:00:00.250Z", "2025-03-01T12:41:07.031+01:00", "2026-11-29T07:00:00Z",
                      "1999-12-31T23:59:59.999999-08:00"]
        return WireTimestamp(rawValue: stamps[random.next(below: stamps.count)]) ?? .now()
    }

    /// A valid message of `type` with random fields.
    mutating func message(_ type: WireMessageType) -> WireMessage {
        switch type {
        case .hello:
            var labels: [String: String] = [:]
            for _ in 0..<random.next(below: 4) { labels[string()] = string() }
            return .hello(.init(agentID: string(), slots: positive(), labels: labels, running: taskRefs(),
                                queuedResults: taskRefs(), software: random.next(below: 2) == 0 ? nil : string()))
        case .welcome:
            let interval = positive()
            return .welcome(.init(agentID: string(), collectionID: string(), heartbeatIntervalMS: interval,
                                  heartbeatTimeoutMS: interval + random.next(below: 100_000), reattached: taskRefs(),
                                  cancelled: taskRefs()))
        case .reject: return .reject(.init(code: RejectCode(rawValue: "c" + string()), reason: string()))
        case .assign:
            return .assign(.init(task: taskRef(), kind: random.next(below: 2) == 0 ? .train : .check,
                                 leaseMS: positive(), timeoutMS: positive(), payload: nonNull(),
                                 trainerPath: random.next(below: 2) == 0 ? nil : "/" + string()))
        case .started: return .started(.init(task: taskRef(), startedAt: timestamp()))
        case .progress:
            let fractions = [0, 1, 0.5, number().magnitude.truncatingRemainder(dividingBy: 1)]
            let fraction: Double? = random.next(below: 3) == 0 ? nil : fractions[random.next(below: 4)]
            return .progress(.init(task: taskRef(), message: string(), fraction: fraction))
        case .result: return .result(.init(task: taskRef(), outcome: nonNull(), finishedAt: timestamp()))
        case .ack:
            let status = AckStatus.allCases[random.next(below: AckStatus.allCases.count)]
            return .ack(.init(task: taskRef(), status: status, reason: status == .refused ? string() : nil))
        case .heartbeat:
            // Below 2^53 in magnitude: larger integers are left to the Codable path (see the fallback tests).
            let sentAt = Int64(bitPattern: random.next()) >> UInt64(11 + random.next(below: 53))
            return .heartbeat(.init(sentAtMS: sentAt, running: taskRefs()))
        case .cancel: return .cancel(.init(task: taskRef(), reason: string()))
        case .drain: return .drain(.init(reason: string()))
        case .bye: return .bye(.init(reason: string()))
        }
    }

    private mutating func nonNull() -> JSONValue {
        let candidate = value()
        return candidate == .null ? .object([:]) : candidate
    }
}
