import BenchJSON
import Foundation
import Testing

@testable import BenchTrainer

/// The endpoints the optimization checks call: data processing, parallel and load-test fits, the request log.
@Suite("check endpoints")
struct EndpointTests {
    @Test("data processing: a real compression ratio in (0, 1) that matches the raw and compressed sizes")
    func dataProcessing() async throws {
        try await TrainerHarness.with { trainer in
            let answer = try await trainer.post(
                "/api/test-data-processing", #"{"test_data_processing": true, "format": "parquet", "size": "small"}"#)
            #expect(answer.status == 200)
            #expect(answer["status"]?.string == "success")
            #expect(answer["rows"]?.int == 20_000)
            #expect(answer["verified"]?.bool == true)
            let ratio = try #require(answer["compression_ratio"]?.double)
            let raw = try #require(answer["raw_bytes"]?.double)
            let compressed = try #require(answer["compressed_bytes"]?.double)
            #expect(ratio > 0 && ratio < 1)
            #expect(abs(ratio - (1 - compressed / raw)) < 1e-12)
            #expect(ratio > 0.2, "the seed's threshold: at least 20 % smaller than CSV")
            #expect(answer["processing_seconds"]?.double != nil)

            let sized = try await trainer.post("/api/test-data-processing", #"{"rows": 1000}"#)
            #expect(sized["rows"]?.int == 1_000)
            let empty = try await trainer.send(.post, "/api/test-data-processing")
            #expect(empty.status == 200)
            let bad = try await trainer.post("/api/test-data-processing", #"{"size": "huge"}"#)
            #expect(bad.status == 422)
            #expect(bad["field"]?.string == "size")
        }
    }

    @Test("the test endpoints answer a body that is JSON but not an object with 400, naming what it was")
    func nonObjectBodies() async throws {
        try await TrainerHarness.with { trainer in
            for path in ["/api/test-data-processing", "/api/test-parallel", "/api/load-test"] {
                let array = try await trainer.post(path, "[1, 2]")
                #expect(array.status == 400, "\(path)")
                #expect(array["error"]?.string == "body must be a JSON object, not array", "\(path)")
                let broken = try await trainer.post(path, #"{"size": }"#)
                #expect(broken.status == 400, "\(path)")
                #expect(broken["error"]?.string == "body is not valid JSON", "\(path)")
            }
        }
    }

    @Test("columnar encoding and the LZ block round-trip exactly; the CSV is the raw size")
    func encodingRoundTrip() throws {
        let table = DailyTable(rows: 5_000, seed: 42)
        let columnar = ColumnarEncoder.encode(table)
        #expect(try ColumnarEncoder.decode(columnar) == table)
        let compressed = LZCompressor.compress(columnar)
        #expect(try LZCompressor.decompress(compressed, expectedSize: columnar.count) == columnar)
        let csv = table.csvBytes()
        #expect(String(decoding: csv.prefix(4), as: UTF8.self) == "geo,")
        #expect(csv.filter { $0 == UInt8(ascii: "\n") }.count == 5_001)
        #expect(compressed.count < columnar.count && columnar.count < csv.count)
    }

    @Test("the LZ compressor round-trips repetitive, random and tiny inputs")
    func lzRoundTrip() throws {
        var rng = SplitMix64(seed: 7)
        let inputs: [[UInt8]] = [
            [], [1], [1, 2, 3], Array(repeating: 9, count: 10_000),
            (0..<20_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) },
            Array("abcabcabcabcabd the quick brown fox the quick brown fox".utf8),
        ]
        for input in inputs {
            let block = LZCompressor.compress(input)
            #expect(try LZCompressor.decompress(block, expectedSize: input.count) == input)
        }
        #expect(LZCompressor.compress(Array(repeating: 9, count: 10_000)).count < 100)
    }

    @Test("malformed compressed or columnar bytes throw instead of trapping")
    func malformedInput() {
        #expect(throws: DataProcessingError.self) { try LZCompressor.decompress([0xF0], expectedSize: 100) }
        #expect(throws: DataProcessingError.self) { try LZCompressor.decompress([0x04, 1, 2, 0, 0], expectedSize: 100) }
        #expect(throws: DataProcessingError.self) { try LZCompressor.decompress([0x10, 65], expectedSize: 2) }
        #expect(throws: DataProcessingError.self) { try ColumnarEncoder.decode([0xFF, 0xFF, 0xFF]) }
        #expect(throws: DataProcessingError.self) { try ColumnarEncoder.decode([]) }
        let valid = ColumnarEncoder.encode(DailyTable(rows: 10, seed: 1))
        #expect(throws: DataProcessingError.self) { try ColumnarEncoder.decode(Array(valid.dropLast())) }
        #expect(throws: DataProcessingError.self) { try ColumnarEncoder.decode(valid + [0]) }
    }

    @Test("test-parallel and load-test do a small real fit each and echo the request id")
    func smallFits() async throws {
        try await TrainerHarness.with { trainer in
            let answers = try await withThrowingTaskGroup(of: HTTPAnswer.self) { group in
                for id in 0..<4 {
                    group.addTask { try await trainer.post("/api/test-parallel", #"{"test_parallel": true, "request_id": \#(id)}"#) }
                }
                group.addTask { try await trainer.post("/api/load-test", #"{"load_test": true, "request_id": "load-1"}"#) }
                var answers: [HTTPAnswer] = []
                for try await answer in group { answers.append(answer) }
                return answers
            }
            #expect(answers.count == 5)
            for answer in answers {
                #expect(answer.status == 200)
                #expect(answer["status"]?.string == "success")
                #expect((answer["candidates_evaluated"]?.int ?? 0) >= 1)
                #expect(answer["nrmse"]?.double != nil)
            }
            let ids = Set(answers.compactMap { $0["request_id"] })
            #expect(ids == [.number(0), .number(1), .number(2), .number(3), .string("load-1")])
        }
    }

    @Test("the request log gets one JSON line per /train request, valid or not, with job id and time")
    func requestLog() async throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("trainer-log-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await TrainerHarness.with({ $0.requestLogPath = path }) { trainer in
            _ = try await trainer.post("/train", seedPayload(jobID: "baseline-1-1-fr", iterations: 50, trials: 2))
            _ = try await trainer.post("/train", seedPayload(jobID: "baseline-1-1-de", country: "de", iterations: 50, trials: 2))
            _ = try await trainer.post("/train", #"{"job_id": "broken", "iterations": -1}"#)
            _ = try await trainer.post("/train", "not json")
            _ = try await trainer.health()
        }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 4)
        let entries = try lines.map { try JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
        #expect(entries.map { $0["job_id"] } == [
            .string("baseline-1-1-fr"), .string("baseline-1-1-de"), .string("broken"), .null,
        ])
        for entry in entries {
            let stamp = try #require(entry["at"]?.string)
            #expect((try? Date(stamp, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))) != nil)
        }
    }

    @Test("an unwritable request log makes start() fail with the path and the reason")
    func unwritableRequestLog() async throws {
        var configuration = TrainerConfiguration()
        configuration.requestLogPath = "/nonexistent-dir/trainer.jsonl"
        let trainer = ReferenceTrainer(configuration: configuration, logger: .init(label: "test"))
        do {
            _ = try await trainer.start()
            Issue.record("start() should have failed")
            await trainer.stop()
        } catch let error as TrainerError {
            #expect(error.kind == .requestLog)
            #expect(error.path == "/nonexistent-dir/trainer.jsonl")
        }
    }
}
