@testable import BenchCoordinator
import BenchCore
import BenchJSON
import BenchProtocol
import Foundation
import Testing

/// `BaselineMetric(storageJSON:)` walks the stored bytes' members without a dictionary of the object: it must read
/// what the Codable oracle reads (the same metric, or a refusal where the oracle refuses) and refuse with the reasons
/// of the parsed-value path (`JSONReader.value(from:)` then `init(wireValue:)`), on texts spelled every way a
/// writer may spell them.
@Suite("Stored metric reader: the members straight from the bytes")
struct StoredMetricReaderTests {
    static let base = MetricStorageJSONTests.metrics

    /// The stored reader's result on `text`: the metric or the refusal's description.
    static func stored(_ text: String) -> Result<BaselineMetric, StoredMetricError> {
        Array(text.utf8).withUnsafeBytes { bytes in
            Result { () throws(StoredMetricError) in try BaselineMetric(storageJSON: bytes) }
        }
    }

    /// The parsed-value path on `text`, as the stored reader read it before it walked the bytes.
    static func parsed(_ text: String) -> Result<BaselineMetric, StoredMetricError> {
        let value: JSONValue
        switch Result(catching: { () throws(JSONReadError) in try JSONReader.value(from: Array(text.utf8)) }) {
        case .success(let parsed): value = parsed
        case .failure(let error): return .failure(.notJSON(error))
        }
        return Result { () throws(OutcomeRefusal) in try BaselineMetric(wireValue: value) }
            .mapError { StoredMetricError.notAMetric($0) }
    }

    /// Texts of a metric: as written, reordered, with whitespace, escaped keys, unknown and duplicate members.
    static func spellings(of metric: BaselineMetric) throws -> [String] {
        let written = try #require(metric.wireText)
        let inner = String(written.dropFirst().dropLast())
        let members = try #require(metric.wireValue)
        guard case .object(let fields) = members else { return [] }
        let reversed = fields.keys.sorted(by: >).map { key in
            "\"\(key)\":" + String(decoding: (try? JSONWriter.bytes(fields[key] ?? .null)) ?? [], as: UTF8.self)
        }
        return [
            written,
            "{" + reversed.joined(separator: ",") + "}",
            " \n{ " + reversed.joined(separator: " ,\t") + " }\r\n",
            "{\"zz_unknown\":[1,{\"a\":null}],\"agenT\":\"x\"," + inner + "}",
            written.replacingOccurrences(of: "\"job_id\"", with: #""job\u005fid""#),
            written.replacingOccurrences(of: "\"agent\"", with: #""\u0061gent""#),
            // Duplicates: the first wins, whether the later one is valid or not.
            "{\"agent\":\"first\"," + inner + "}",
            "{" + inner + ",\"agent\":7,\"success\":\"no\"}",
            "{\"job_id\":\"first\",\"job_id\":\"second\"," + inner + "}",
            "{\"caf\u{E9}\":1,\"\u{1F4C8}\":2," + inner + "}",
        ]
    }

    @Test("every spelling reads as the Codable oracle reads it, and as the parsed-value path", arguments: base)
    func spellingsAgree(metric: BaselineMetric) throws {
        for text in try Self.spellings(of: metric) {
            let got = Self.stored(text)
            #expect(got == Self.parsed(text), "\(text)")
            let oracle = MetricCodableOracle.decode(Data(text.utf8))
            switch got {
            case .success(let read): #expect(read == oracle, "\(text)")
            case .failure(let error): #expect(oracle == nil, "\(text): refused (\(error)) where the oracle read it")
            }
        }
    }

    @Test("broken texts are refused with the parsed-value path's reasons (JSON errors and metric refusals)")
    func refusalsAgree() throws {
        let written = try #require(Self.base[0].wireText)
        let inner = String(written.dropFirst().dropLast())
        let texts = [
            "", " ", "[1]", "\"metric\"", "null", "{}", "{\"agent\":\"a\"}", written + " x", written + "{}",
            "{" + inner, "{" + inner + ",}", "{\"agent\"" + inner + "}", "{\"agent", "{\"ag\\q\":1}",
            "{\"a\u{01}\":1}", "[" + written + "]",
            written.replacingOccurrences(of: "\"success\":true", with: "\"success\":1"),
            written.replacingOccurrences(of: "\"attempt\":3", with: "\"attempt\":3.5"),
            written.replacingOccurrences(of: "\"http_status\":200", with: "\"http_status\":\"200\""),
            written.replacingOccurrences(of: "\"trainer_figures\":{", with: "\"trainer_figures\":{\"x\":\"1\","),
            written.replacingOccurrences(of: "\"duration_ms\"", with: "\"duration_ms_\""),
            written.replacingOccurrences(of: "\"timestamp\":", with: "\"timestamp\":null,\"t\":"),
        ]
        for text in texts {
            let got = Self.stored(text)
            #expect(got == Self.parsed(text), "\(text)")
            if case .success = got { Issue.record("read a broken text: \(text)") }
        }
        var invalid = Array("{\"".utf8) + [0xC3, 0x28] + Array("\":1,".utf8) + Array(inner.utf8) + [0x7D]
        let refusal = invalid.withUnsafeMutableBytes { bytes in
            Result { () throws(StoredMetricError) in try BaselineMetric(storageJSON: UnsafeRawBufferPointer(bytes)) }
        }
        guard case .failure(.notJSON(let error)) = refusal else {
            Issue.record("invalid UTF-8 in a key was not refused as JSON: \(refusal)")
            return
        }
        #expect(error.reason == .invalidUTF8)
        #expect(error.offset == 2)
    }
}
