import BenchAgent
import BenchJSON
import BenchProtocol
import BenchTLS
import BenchWire
import Foundation
import Logging
import NIOConcurrencyHelpers
import TestTiming

/// A CA, a coordinator certificate for 127.0.0.1 and an agent certificate (`agent-1`) in a temporary directory,
/// removed when the fixture is released.
final class AgentTLSFixture: Sendable {
    let directory: String
    let authority: CertificateAuthority
    let serverContext: TLSContext
    let agentTLS: TLSConfiguration

    init(agentName: String = "agent-1") throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("benchagent-\(UUID().uuidString)").path
        authority = try CertificateAuthority.create(in: directory)
        let server = try authority.issueServerCertificate(subjectAlternativeNames: [.ip("127.0.0.1")])
        let agent = try authority.issueClientCertificate(agentName: agentName)
        serverContext = try TLSContext(
            configuration: TLSConfiguration(
                certificateChainPath: server.certificatePath, privateKeyPath: server.privateKeyPath,
                trustRootsPath: authority.certificatePath,
                handshakeTimeout: .milliseconds(TestTiming.milliseconds(10_000))),
            role: .server)
        agentTLS = TLSConfiguration(
            certificateChainPath: agent.certificatePath, privateKeyPath: agent.privateKeyPath,
            trustRootsPath: authority.certificatePath,
            handshakeTimeout: .milliseconds(TestTiming.milliseconds(10_000)))
    }

    /// A fresh file path in the fixture's directory.
    func path(_ name: String) -> String {
        (directory as NSString).appendingPathComponent(name)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// A test waited too long for a network event.
struct DeadlineExceeded: Error, CustomStringConvertible {
    let seconds: Double
    let what: String
    var description: String { "\(what): nothing within \(seconds) s" }
}

/// Runs `body`, failing with ``DeadlineExceeded`` if it has not finished within `seconds`. Bounds every wait on a
/// real event; never delays a test that succeeds.
func withDeadline<T: Sendable>(
    seconds: Double = 90, _ what: String = "wait", _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let seconds = TestTiming.seconds(seconds)
    return try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw DeadlineExceeded(seconds: seconds, what: what)
        }
        defer { group.cancelAll() }
        guard let result = try await group.next() else { throw DeadlineExceeded(seconds: seconds, what: what) }
        return result
    }
}

/// A single-consumer queue of values arriving from other tasks; `next()` waits for one, nil once finished.
final class Mailbox<Value: Sendable>: Sendable {
    private struct State {
        var items: [Value] = []
        var waiter: CheckedContinuation<Value?, Never>?
        var finished = false
    }

    private let state = NIOLockedValueBox(State())

    func put(_ value: Value) {
        let waiter = state.withLockedValue { state -> CheckedContinuation<Value?, Never>? in
            guard !state.finished else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.items.append(value)
            return nil
        }
        waiter?.resume(returning: value)
    }

    func finish() {
        let waiter = state.withLockedValue { state -> CheckedContinuation<Value?, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// The next value (buffered ones first); nil when finished and empty, or when the task is cancelled.
    func next() async -> Value? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
                let ready: Value?? = state.withLockedValue { state in
                    if !state.items.isEmpty { return .some(state.items.removeFirst()) }
                    if state.finished { return .some(nil) }
                    state.waiter = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = state.withLockedValue { state -> CheckedContinuation<Value?, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}

/// Collects an agent's events so tests can wait for one.
final class EventLog: Sendable {
    private let all = NIOLockedValueBox<[AgentEvent]>([])
    private let mailbox = Mailbox<AgentEvent>()

    var handler: @Sendable (AgentEvent) -> Void {
        { [self] event in
            all.withLockedValue { $0.append(event) }
            mailbox.put(event)
        }
    }

    var events: [AgentEvent] { all.withLockedValue { $0 } }

    /// Waits (bounded) for the next event not consumed by an earlier wait for which `match` returns a value.
    func wait<T: Sendable>(
        seconds: Double = 90, _ what: String, _ match: @escaping @Sendable (AgentEvent) -> T?
    ) async throws -> T {
        try await withDeadline(seconds: seconds, what) { [mailbox] in
            while let event = await mailbox.next() {
                if let value = match(event) { return value }
            }
            throw DeadlineExceeded(seconds: seconds, what: what)
        }
    }
}

/// A logger that prints nothing unless `AGENT_TEST_LOG` is set (then everything from `debug` up, on stderr).
func testLogger() -> Logger {
    var logger = Logger(label: "test.agent") { label in StreamLogHandler.standardError(label: label) }
    logger.logLevel = ProcessInfo.processInfo.environment["AGENT_TEST_LOG"] != nil ? .debug : .critical
    return logger
}
