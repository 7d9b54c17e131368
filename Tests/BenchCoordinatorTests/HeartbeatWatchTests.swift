@testable import BenchCoordinator
import BenchProtocol
import BenchWire
import Clocks
import Logging
import Testing

/// The coordinator's heartbeat timer on a monotonic test clock: time passes only when the test advances it.
@Suite("Heartbeat: the coordinator's timer and silence")
struct HeartbeatWatchTests {
    static func watch(clock: MonotonicClock = .continuous, interval: Int = 2, timeout: Int = 5,
                      logs: LogCapture = LogCapture()) -> HeartbeatWatch {
        HeartbeatWatch(clock: clock, interval: .seconds(interval), timeout: .seconds(timeout), logger: logs.logger())
    }

    @Test("nothing is due: it waits for the earlier of the next heartbeat and the end of the allowed silence")
    func waits() {
        let watch = Self.watch()
        #expect(watch.step(now: .zero, lastHeard: .zero, nextHeartbeat: .seconds(2)) == .wait(until: .seconds(2)))
        // Heard at 9 s, next heartbeat at 20 s: the silence ends first, at 14 s.
        #expect(watch.step(now: .seconds(10), lastHeard: .seconds(9), nextHeartbeat: .seconds(20))
                == .wait(until: .seconds(14)))
    }

    @Test("a heartbeat is due at its time; the next one is an interval after it was sent")
    func heartbeatDue() {
        let watch = Self.watch()
        #expect(watch.step(now: .seconds(2), lastHeard: .seconds(1), nextHeartbeat: .seconds(2))
                == .heartbeat(next: .seconds(4)))
        #expect(watch.step(now: .milliseconds(2_500), lastHeard: .seconds(1), nextHeartbeat: .seconds(2))
                == .heartbeat(next: .milliseconds(4_500)))
    }

    @Test("silence closes at exactly the timeout, measured from the last frame heard, not from admission")
    func silence() {
        let watch = Self.watch()
        #expect(watch.step(now: .milliseconds(4_999), lastHeard: .zero, nextHeartbeat: .seconds(6))
                == .wait(until: .seconds(5)))
        #expect(watch.step(now: .seconds(5), lastHeard: .zero, nextHeartbeat: .seconds(6))
                == .close(silence: .seconds(5)))
        // A frame at 3 s moves the end of the silence to 8 s.
        #expect(watch.step(now: .seconds(7), lastHeard: .seconds(3), nextHeartbeat: .seconds(8))
                == .wait(until: .seconds(8)))
        #expect(watch.step(now: .seconds(8), lastHeard: .seconds(3), nextHeartbeat: .seconds(8))
                == .close(silence: .seconds(5)))
    }

    @Test("a frame heard earlier than the last one recorded does not shorten the silence allowed")
    func heardOutOfOrder() {
        let session = AgentSession(id: 1, name: "agent-1", remoteAddress: nil, admittedAt: .zero)
        session.heard(at: .seconds(4))
        session.heard(at: .seconds(3))
        #expect(session.lastHeardAt == .seconds(4))
    }

    @Test("on the injected clock: a heartbeat after one interval, then the session closed after the silence")
    func timerOnTestClock() async {
        let ticks = TestClock<Duration>()
        let clock = MonotonicClock(ticks)
        let logs = LogCapture()
        let watch = Self.watch(clock: clock, logs: logs)
        let session = AgentSession(id: 1, name: "agent-1", remoteAddress: nil, admittedAt: clock.now())
        let timer = Task { await watch.run(session) }
        await ticks.advance(by: .seconds(2))
        #expect(await session.mailbox.next() == [.heartbeat(.init(sentAtMS: 2_000, running: []))])
        await ticks.advance(by: .seconds(3))
        var delivered: [WireMessage] = []
        while let batch = await session.mailbox.next() { delivered += batch }
        #expect(delivered.last == .bye(.init(reason: "heartbeat timeout")), "\(delivered)")
        #expect(session.closedByCoordinator == "heartbeat timeout")
        #expect(await logs.waitFor("agent agent-1: nothing received for 5000 ms (heartbeat timeout)"))
        await timer.value
    }
}
