import BenchCore
import Foundation

/// `CheckTask`'s former `Codable` conformance (synthesized: every member, `share` left out when nil), kept in tests
/// only as the oracle BenchProtocol's check payload codec (`CheckTask+Wire.swift`) is checked against. The product
/// reads and writes the payload through that codec alone.
struct CheckTaskOracle: Codable, Equatable {
    var task: CheckTask

    init(_ task: CheckTask) {
        self.task = task
    }

    enum CodingKeys: String, CodingKey {
        case phase, check, share, settings
        case suiteRunID = "suite_run_id"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        task = CheckTask(
            suiteRunID: try container.decode(String.self, forKey: .suiteRunID),
            phase: try container.decode(CheckPhase.self, forKey: .phase),
            check: try container.decode(CheckKind.self, forKey: .check),
            share: try container.decodeIfPresent(CheckShare.self, forKey: .share),
            settings: try container.decode(CheckSettings.self, forKey: .settings))
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(task.suiteRunID, forKey: .suiteRunID)
        try container.encode(task.phase, forKey: .phase)
        try container.encode(task.check, forKey: .check)
        try container.encodeIfPresent(task.share, forKey: .share)
        try container.encode(task.settings, forKey: .settings)
    }
}

/// The oracle's JSON bytes and readings of the check documents: `JSONEncoder` with the wire's output options, and
/// `JSONDecoder`.
enum CheckOracle {
    static func bytes(_ task: CheckTask) throws -> [UInt8] {
        Array(try CodableOracle.encoder.encode(CheckTaskOracle(task)))
    }

    static func bytes(_ outcome: CheckOutcome) throws -> [UInt8] {
        Array(try CodableOracle.encoder.encode(outcome))
    }

    static func task(_ bytes: [UInt8]) -> CheckTask? {
        (try? JSONDecoder().decode(CheckTaskOracle.self, from: Data(bytes)))?.task
    }

    static func outcome(_ bytes: [UInt8]) -> CheckOutcome? {
        try? JSONDecoder().decode(CheckOutcome.self, from: Data(bytes))
    }
}
