@testable import BenchCoordinator
import BenchCore
import BenchJSON
import BenchProtocol
import BenchTLS
import BenchWire
import Foundation
import Testing

/// Malformed and hostile input from an authenticated agent connection, over real mutual TLS against a real
/// coordinator on 127.0.0.1: every case is refused with its own logged reason, closes only its own connection, and
/// a healthy agent holding the collection's jobs finishes it undisturbed.
///
/// Each case gets its own in-process coordinator (about 0.1 s to start: no child process, EC certificates), so the
/// cases run in parallel and every one can check that the healthy agent's collection completes.
@Suite("Coordinator: malformed and hostile input over mTLS")
struct HostileInputTests {
    static let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1, countries: ["fr", "de"])],
                           jobGapSeconds: 0, dayGapSeconds: 0, maxInFlight: 64)

    /// A coordinator whose two jobs are both held by the agent `healthy`; ``finish()`` has it report them and
    /// leave, and checks that the collection completed.
    struct Scene {
        let harness: CoordinatorHarness
        let healthy: ScriptedAgent
        let held: [WireMessage.Assign]

        static func start(clock: any CoordinatorClock = SystemCoordinatorClock(),
                          configure: (inout CoordinatorConfiguration) -> Void = { _ in }) async throws -> Scene {
            let certificates = try TestCertificates(agents: ["healthy", "hostile"])
            let harness = try await CoordinatorHarness(plan: HostileInputTests.plan, certificates: certificates,
                                                       clock: clock, configure: configure)
            let healthy = try await harness.agent("healthy", slots: 2)
            let held = [try await healthy.assign(), try await healthy.assign()]
            return Scene(harness: harness, healthy: healthy, held: held)
        }

        func hostile() async throws -> HostileConnection {
            try await HostileConnection.connect(port: harness.port,
                                                context: harness.certificates.clientContext("hostile"))
        }

        /// A hostile connection that said a valid hello and got its welcome.
        func welcomedHostile() async throws -> HostileConnection {
            let hostile = try await hostile()
            try hostile.send(.hello(.init(agentID: "hostile", slots: 1)))
            guard case .welcome = try await hostile.next() else { throw HarnessError("no welcome for hostile") }
            return hostile
        }

        /// The healthy agent reports its jobs and leaves; the collection must complete with both counted.
        func finish() async throws {
            for assign in held { healthy.send(try resultMessage(assign.task)) }
            try await healthy.leaveAfterDrain()
            let status = try await harness.result()
            #expect(status.done == 2)
            #expect(status.failedMeasurements == 0 && status.harnessErrors == 0)
        }

        func logged(_ text: String) async -> Bool {
            await harness.logs.waitFor(text, seconds: 60)
        }
    }

    /// One malformed input and what the coordinator must do with it.
    struct MalformedCase: Sendable, CustomTestStringConvertible {
        enum Phase: Sendable { case beforeHello, afterHello }
        let name: String
        let phase: Phase
        let bytes: [UInt8]
        /// The reason the coordinator logs (and sends in its last frame).
        let reason: String
        /// The reject code answered while waiting for the hello.
        var rejectCode: RejectCode = .badHello
        var testDescription: String { name }
    }

    static let maxFrame = WireProtocol.defaultMaxFrameLength

    static let malformedCases: [MalformedCase] = [
        .init(name: "length 0", phase: .afterHello, bytes: frameHeader(0),
              reason: "frame header declares an empty body"),
        .init(name: "length max+1", phase: .afterHello, bytes: frameHeader(UInt32(maxFrame + 1)),
              reason: "frame header declares \(maxFrame + 1) bytes, more than the maximum of \(maxFrame)"),
        .init(name: "length 0xFFFFFFFF", phase: .afterHello, bytes: frameHeader(0xFFFF_FFFF),
              reason: "frame header declares 4294967295 bytes, more than the maximum of \(maxFrame)"),
        .init(name: "length 0 before hello", phase: .beforeHello, bytes: frameHeader(0),
              reason: "frame header declares an empty body"),
        .init(name: "invalid UTF-8", phase: .afterHello,
              bytes: frame(Array(#"{"type":"bye","reason":""#.utf8) + [0xFF, 0xFE, 0xC0] + Array(#""}"#.utf8)),
              reason: "string is not valid UTF-8 at byte 24"),
        .init(name: "JSON that is not an object", phase: .afterHello, bytes: frame("[1, 2, 3]"),
              reason: "frame is not a JSON object"),
        .init(name: "a bare JSON string before hello", phase: .beforeHello, bytes: frame(#""hello""#),
              reason: "frame is not a JSON object"),
        .init(name: "deep nesting", phase: .afterHello,
              bytes: frame(#"{"type":"bye","reason":"x","extra":"# + String(repeating: "[", count: 100_000)
                           + String(repeating: "]", count: 100_000) + "}"),
              reason: "nested more than \(JSONReader.maximumDepth) deep"),
        .init(name: "huge number (overflows a Double)", phase: .afterHello,
              bytes: frame(#"{"type":"heartbeat","sent_at_ms":1e999999,"running":[]}"#),
              reason: "number is not representable as a Double"),
        .init(name: "huge integer (1,000 digits)", phase: .afterHello,
              bytes: frame(#"{"type":"heartbeat","sent_at_ms":"# + String(repeating: "9", count: 1_000)
                           + #","running":[]}"#),
              reason: "number is not representable as a Double at byte 33"),
        .init(name: "unknown type", phase: .afterHello, bytes: frame(#"{"type":"frobnicate","x":1}"#),
              reason: "unknown message type 'frobnicate'"),
        .init(name: "missing type", phase: .afterHello, bytes: frame(#"{"reason":"no type here"}"#),
              reason: #"message has no string "type" field"#),
        .init(name: "type that is not a string", phase: .beforeHello, bytes: frame(#"{"type":42}"#),
              reason: #"message has no string "type" field"#),
        .init(name: "wrong field type", phase: .afterHello,
              bytes: frame(#"{"type":"heartbeat","sent_at_ms":"soon","running":[]}"#),
              reason: "'heartbeat' message has an invalid 'sent_at_ms'"),
        .init(name: "wrong field type in a hello", phase: .beforeHello,
              bytes: frame(#"{"type":"hello","protocol_version":1,"agent_id":"hostile","slots":"two"}"#),
              reason: "'hello' message has an invalid 'slots'"),
        .init(name: "missing required field in a result", phase: .afterHello,
              bytes: frame(#"{"type":"result","task":{"task_id":"baseline-1-1-fr"},"outcome":{},"#
                           + #""finished_at":"2025-03-01T12:00:00Z"}"#),
              reason: "'result' message is missing required field 'task.attempt'"),
        .init(name: "wrong protocol version", phase: .beforeHello,
              bytes: frame(#"{"type":"hello","protocol_version":2,"agent_id":"hostile","slots":1}"#),
              reason: "peer speaks protocol version 2, this build speaks \(WireProtocol.version)",
              rejectCode: .versionMismatch),
    ]

    @Test("a malformed frame is refused with its reason, closes only its connection; the healthy agent finishes",
          arguments: malformedCases)
    func malformedFrame(_ input: MalformedCase) async throws {
        let scene = try await Scene.start()
        let hostile = input.phase == .beforeHello ? try await scene.hostile() : try await scene.welcomedHostile()
        hostile.write(input.bytes)
        let last = try await hostile.closed()
        switch input.phase {
        case .beforeHello:
            #expect(last.count == 1)
            guard case .reject(let reject) = last.first else {
                Issue.record("expected a reject, got \(last)")
                return
            }
            #expect(reject.code == input.rejectCode)
            #expect(reject.reason.contains(input.reason))
            #expect(await scene.logged("before hello: "))
        case .afterHello:
            // Heartbeats may come first; the last frame is the bye naming the error.
            guard case .bye(let bye) = last.last else {
                Issue.record("expected a bye, got \(last)")
                return
            }
            #expect(bye.reason.contains(input.reason))
            #expect(await scene.logged("protocol error from agent hostile at 127.0.0.1"))
        }
        #expect(await scene.logged(input.reason))
        try await scene.finish()
    }

    @Test("a frame header, part of a body, then EOF: logged as a truncated frame; the healthy agent finishes")
    func headerThenEOF() async throws {
        let scene = try await Scene.start()
        let hostile = try await scene.welcomedHostile()
        hostile.write(frameHeader(100) + Array(#"{"type":"bye""#.utf8))
        hostile.close()
        _ = try await hostile.closed()
        #expect(await scene.logged("connection ended inside a frame (17 bytes buffered)"))
        #expect(await scene.logged("agent hostile disconnected"))
        try await scene.finish()
    }

    @Test("a valid message in the wrong state (welcome from an agent) ends that session with bye")
    func wrongState() async throws {
        let scene = try await Scene.start()
        let hostile = try await scene.welcomedHostile()
        try hostile.send(.welcome(.init(agentID: "hostile", collectionID: "c", heartbeatIntervalMS: 1,
                                        heartbeatTimeoutMS: 1)))
        let last = try await hostile.closed()
        let reason = "unexpected welcome from an agent in an established session"
        #expect(last.last == .bye(.init(reason: "protocol error: \(reason)")))
        #expect(await scene.logged(reason))
        try await scene.finish()
    }
}
