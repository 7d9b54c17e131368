import BenchCore
import Foundation
import Testing

/// Messages an operator gets for plans that cannot be used: each says what is wrong in words they can act on.
@Suite("Plan errors read as what is wrong")
struct PlanMessageTests {
    @Test("infinite or NaN numbers are refused as not finite (not 'expected a number, got a number')", arguments: [
        ("timeout_seconds: .inf", "timeout_seconds: must be a finite number, got .inf"),
        ("timeout_seconds: -.Inf", "timeout_seconds: must be a finite number, got -.Inf"),
        ("job_gap_seconds: .nan", "job_gap_seconds: must be a finite number, got .nan"),
        ("pricing: {base_vcpu: .INF}", "pricing.base_vcpu: must be a finite number, got .INF"),
        ("timeout_seconds: 1.0e400", "timeout_seconds: must be a finite number, got 1.0e400"),
    ])
    func notFinite(text: String, message: String) {
        #expect {
            try PlanLoader.load(text: text)
        } throws: { error in
            (error as? PlanError)?.description == message
        }
    }

    @Test("an integer beyond 64 bits is out of range (not 'expected an integer, got an integer')")
    func integerOutOfRange() {
        #expect {
            try PlanLoader.load(text: "days: 99999999999999999999")
        } throws: { error in
            (error as? PlanError)?.description
                == "days: out of range (99999999999999999999 does not fit in a 64-bit integer)"
        }
    }

    @Test("a plan path that is a directory says so, naming it")
    func directory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plan-dir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = try #require(throws: PlanError.self) { try PlanLoader.load(fileAt: directory.path) }
        #expect(error.description == "cannot read plan file \(directory.path): is a directory")
    }

    @Test("a missing plan file says there is no such file")
    func missing() throws {
        let error = try #require(throws: PlanError.self) { try PlanLoader.load(fileAt: "/nonexistent/plan.yaml") }
        #expect(error.description == "cannot read plan file /nonexistent/plan.yaml: no such file")
    }

    @Test("a plan file that is not UTF-8 text says so")
    func notUTF8() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString).yaml")
        try Data([0x64, 0x61, 0x79, 0x73, 0x3A, 0x20, 0xFF, 0xFE]).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let error = try #require(throws: PlanError.self) { try PlanLoader.load(fileAt: path.path) }
        #expect(error.description == "cannot read plan file \(path.path): not UTF-8 text")
    }
}
