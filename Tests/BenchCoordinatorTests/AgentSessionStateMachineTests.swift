@testable import BenchCoordinator
import BenchJSON
import BenchProtocol
import BenchWire
import Testing

@Suite("AgentSessionStateMachine and admission")
struct AgentSessionStateMachineTests {
    let hello = WireMessage.hello(.init(agentID: "agent-1", slots: 2))
    let task = TaskRef(taskID: "baseline-1-1-fr", attempt: 1)

    @Test("the first frame must be hello; anything else is rejected as bad_hello")
    func firstFrame() {
        var machine = AgentSessionStateMachine()
        guard case .register(let body) = machine.firstFrame(hello) else {
            Issue.record("hello not registered")
            return
        }
        #expect(body.slots == 2)
        var other = AgentSessionStateMachine()
        #expect(other.firstFrame(.heartbeat(.init(sentAtMS: 1))) == .reject(.badHello,
                reason: "the first frame must be hello, got heartbeat"))
        #expect(other.state == .closed)
    }

    @Test("after welcome: heartbeats, started, progress, results and bye map to actions")
    func established() {
        var machine = AgentSessionStateMachine()
        _ = machine.firstFrame(hello)
        machine.welcomed()
        #expect(machine.received(.heartbeat(.init(sentAtMS: 5, running: [task]))) == .heartbeat(running: [task]))
        #expect(machine.received(.started(.init(task: task, startedAt: .now()))) == .renew(task))
        #expect(machine.received(.progress(.init(task: task, message: "m", fraction: 0.5))) == .renew(task))
        let result = WireMessage.TaskResult(task: task, outcome: ["x": 1], finishedAt: .now())
        #expect(machine.received(.result(result)) == .result(result))
        #expect(machine.received(.bye(.init(reason: "done"))) == .peerClosed(reason: "done"))
        #expect(machine.received(.heartbeat(.init(sentAtMS: 6))) == .ignore)
    }

    @Test("coordinator-only messages or a second hello from an agent are protocol violations",
          arguments: [
            WireMessage.hello(.init(agentID: "x", slots: 1)),
            .ack(.init(task: TaskRef(taskID: "t", attempt: 1), status: .committed)),
            .drain(.init(reason: "r")),
            .assign(.init(task: TaskRef(taskID: "t", attempt: 1), kind: .train, leaseMS: 1, timeoutMS: 1, payload: nil)),
          ])
    func violations(message: WireMessage) {
        var machine = AgentSessionStateMachine()
        _ = machine.firstFrame(hello)
        machine.welcomed()
        guard case .violation = machine.received(message) else {
            Issue.record("\(message.type) accepted")
            return
        }
        #expect(machine.state == .closed)
    }

    @Test("an undecodable frame is answered by reject before the hello and by bye after it")
    func decodingFailures() {
        var waiting = AgentSessionStateMachine()
        #expect(waiting.decodingFailed(.unsupportedProtocolVersion(received: 2, supported: 1))
                == .reject(.init(code: .versionMismatch, reason: "peer speaks protocol version 2, this build speaks 1")))
        var fresh = AgentSessionStateMachine()
        guard case .reject(let reject) = fresh.decodingFailed(.missingType) else {
            Issue.record("no reject")
            return
        }
        #expect(reject.code == .badHello)
        var established = AgentSessionStateMachine()
        _ = established.firstFrame(hello)
        established.welcomed()
        guard case .bye = established.decodingFailed(.unknownType("reboot")) else {
            Issue.record("no bye")
            return
        }
        #expect(established.state == .closed)
    }

    @Test("identity is the certificate CN, restricted by a non-empty allow-list")
    func admission() {
        #expect(AgentAdmission.identity(commonName: "agent-1", allowed: []) == .success("agent-1"))
        #expect(AgentAdmission.identity(commonName: "agent-1", allowed: ["agent-1"]) == .success("agent-1"))
        #expect(AgentAdmission.identity(commonName: "agent-9", allowed: ["agent-1"])
                == .failure(AdmissionRefusal(reason: "agent 'agent-9' is not on the coordinator's allow-list")))
        #expect(AgentAdmission.identity(commonName: nil, allowed: []) != .success(""))
    }
}
