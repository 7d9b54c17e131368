import ArgumentParser
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import NIOCore

/// `mmmbench-bench codec`: messages per second through ``WireCodec`` alone (no sockets, no TLS), the hand-written
/// JSON path against a reference path through Foundation's JSON (`JSONDecoder` to a ``JSONValue`` then the one typed
/// decoder; `JSONEncoder` printing the message's ``JSONValue``). The wire types have no Codable form outside the tests.
struct CodecBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codec",
        abstract: "Messages/s decoded and encoded by WireCodec: hand-written JSON vs Foundation's JSON."
    )

    @Option(help: "Operations per measurement.")
    var iterations = 200_000

    @Option(help: "Measurements of each kind (the median is reported).")
    var runs = 5

    @Flag(help: "Measure the hand-written path only (for profiling it).")
    var handWrittenOnly = false

    func run() throws {
        try CodecBenchmark.run(iterations: iterations, runs: runs, referenceRuns: handWrittenOnly ? 0 : runs)
    }
}

/// The measurements behind `mmmbench-bench codec`.
enum CodecBenchmark {
    struct BenchmarkError: Error, CustomStringConvertible {
        let reason: String
        var description: String { "codec benchmark: \(reason)" }
    }

    /// Measures decode and frame encode of typical `result`, `assign`, `ack` and `heartbeat` messages and prints
    /// one line per message and operation.
    /// `referenceRuns` measurements of the reference path (0 to skip it).
    static func run(iterations: Int, runs: Int, referenceRuns: Int) throws {
        guard iterations > 0, runs > 0, referenceRuns >= 0 else {
            throw BenchmarkError(reason: "iterations and runs must be positive")
        }
        let codec = WireCodec()
        // The reference: Foundation's JSON parser and printer in place of BenchJSON's, around the same typed codec.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let decoder = JSONDecoder()
        print("WireCodec, \(iterations) operations per run, median of \(runs) runs (one thread)")
        for (name, message) in samples {
            let body = ByteBuffer(bytes: try codec.encodeBody(message))
            let data = Data(body.readableBytesView)
            let value = try JSONReader.value(from: Array(data))
            guard try encoder.encode(value) == data,
                try WireMessage(json: decoder.decode(JSONValue.self, from: data)) == message,
                try codec.decode(body: body) == message
            else { throw BenchmarkError(reason: "the two paths disagree on \(name)") }

            let decodeOld = try median(referenceRuns) {
                try measure(iterations) {
                    _ = try WireMessage(json: decoder.decode(JSONValue.self, from: Data(body.readableBytesView)))
                }
            }
            let decodeNew = try median(runs) { try measure(iterations) { _ = try codec.decode(body: body) } }
            var frame = ByteBufferAllocator().buffer(capacity: 1_024)
            let encodeOld = try median(referenceRuns) {
                try measure(iterations) {
                    frame.clear()
                    // JSONEncoder to Data, then prefix and copy.
                    let data = try encoder.encode(value)
                    frame.writeInteger(UInt32(data.count))
                    frame.writeBytes(data)
                }
            }
            let encodeNew = try median(runs) {
                try measure(iterations) {
                    frame.clear()
                    try codec.encodeFrame(message, into: &frame)
                }
            }
            print("  \(name) (\(body.readableBytes) B):")
            print(line("decode", old: decodeOld, new: decodeNew))
            print(line("encode", old: encodeOld, new: encodeNew))
        }
    }

    /// One figure line; without reference runs (`--hand-written-only`) only the codec's own rate.
    private static func line(_ operation: String, old: Double, new: Double) -> String {
        guard !old.isNaN else { return "    \(operation): hand-written \(format(new)) msg/s" }
        return "    \(operation): Foundation JSON \(format(old)) msg/s, hand-written \(format(new)) msg/s "
            + "(x\(String(format: "%.1f", new / old)))"
    }

    private static func format(_ rate: Double) -> String { String(format: "%9.0f", rate) }

    /// The median of `runs` results of `body` (NaN for no runs).
    private static func median(_ runs: Int, _ body: () throws -> Double) rethrows -> Double {
        var rates: [Double] = []
        for _ in 0..<runs { rates.append(try body()) }
        return rates.isEmpty ? .nan : rates.sorted()[rates.count / 2]
    }

    /// Operations per second of `iterations` calls of `operation`.
    private static func measure(_ iterations: Int, _ operation: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<iterations { try operation() }
        let elapsed = (clock.now - start).components
        return Double(iterations) / (Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
    }

    /// Messages as the coordinator and agents exchange them in a baseline collection.
    static let samples: [(String, WireMessage)] = {
        let task = TaskRef(taskID: "baseline-3-6-US", attempt: 1)
        let stamp = WireTimestamp(Date(timeIntervalSince1970: 1_740_830_467.031))
        let outcome: JSONValue = [
            "timestamp": 1_740_830_467.031, "job_id": "baseline-3-6-US", "job_type": "baseline", "iterations": 2000,
            "trials": 5, "country": "US", "duration_minutes": 41.117, "cpu_hours": 0.6853, "memory_gb_hours": 2.7412,
            "cost_estimate": 0.0987, "success": true, "attempt": 1, "agent": "agent-1", "duration_ms": 2_467_031,
            "trainer_figures": ["r2": 0.9312, "mape": 0.0741], "http_status": 200,
        ]
        let job: JSONValue = [
            "id": "baseline-3-6-US", "ordinal": 1234, "day": 3, "config_index": 6, "country": "US",
            "job_type": "baseline", "iterations": 2000, "trials": 5, "labels": ["region": "us"],
        ]
        let payload: JSONValue = [
            "job": job,
            "body": ["job_id": "baseline-3-6-US", "country": "US", "iterations": 2000, "trials": 5,
                     "model": "ridge", "adstock": "geometric", "channels": ["tv", "search", "social"]],
            "pricing": ["base_vcpu": 4, "base_memory_gb": 16, "vcpu_hour_usd": 0.072, "gb_hour_usd": 0.008],
        ]
        return [
            ("result", .result(.init(task: task, outcome: outcome, finishedAt: stamp))),
            ("assign", .assign(.init(task: task, kind: .train, leaseMS: 30_000, timeoutMS: 7_200_000,
                                     payload: payload))),
            ("ack", .ack(.init(task: task, status: .committed))),
            ("started", .started(.init(task: task, startedAt: stamp))),
            ("heartbeat", .heartbeat(.init(sentAtMS: 123_456_789,
                                           running: [task, TaskRef(taskID: "b-1", attempt: 2)]))),
        ]
    }()
}
