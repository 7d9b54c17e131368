import Testing

@testable import BenchTLS

@Suite("TLSConnectionStateMachine decisions")
struct TLSConnectionStateMachineTests {
    @Test("happy path: buffer before the handshake, encrypt after, close_notify on close")
    func happyPath() {
        var machine = TLSConnectionStateMachine()
        #expect(machine.write() == .buffer)
        #expect(machine.channelActive() == .startHandshake)
        #expect(machine.channelActive() == .none)
        #expect(machine.channelRead() == .continueHandshake)
        #expect(machine.write() == .buffer)
        #expect(machine.handshakeSucceeded() == .reportAndFlushBufferedWrites)
        #expect(machine.handshakeSucceeded() == .none)
        #expect(machine.channelRead() == .readApplicationData)
        #expect(machine.write() == .encrypt)
        #expect(machine.close() == .sendCloseNotifyThenClose)
        #expect(machine.write() == .fail)
        #expect(machine.close() == .closeOnly)
        #expect(machine.channelInactive() == .clean)
    }

    @Test("EOF is a handshake failure before completion and unclean after it")
    func endOfFile() {
        var handshaking = TLSConnectionStateMachine()
        _ = handshaking.channelActive()
        #expect(handshaking.channelInactive() == .failHandshake)

        var active = TLSConnectionStateMachine()
        _ = active.channelActive()
        _ = active.handshakeSucceeded()
        #expect(active.channelInactive() == .reportUncleanShutdown)
    }

    @Test("the peer's close_notify is answered once; failures after close are ignored")
    func closeNotifyAndFailures() {
        var machine = TLSConnectionStateMachine()
        _ = machine.channelActive()
        _ = machine.handshakeSucceeded()
        #expect(machine.closeNotifyReceived() == .replyThenClose)
        #expect(machine.closeNotifyReceived() == .closeOnly)
        #expect(machine.failed() == .reportThenClose)
        #expect(machine.failed() == .ignore)
        #expect(machine.channelRead() == .discard)
    }

    @Test("a failure or close during the handshake fails it; the timeout only applies while handshaking")
    func handshakeFailure() {
        var failing = TLSConnectionStateMachine()
        _ = failing.channelActive()
        #expect(failing.isHandshaking)
        #expect(failing.failed() == .failHandshakeThenClose)
        #expect(!failing.isHandshaking)

        var closing = TLSConnectionStateMachine()
        _ = closing.channelActive()
        #expect(closing.close() == .failHandshakeThenClose)
        #expect(closing.handshakeSucceeded() == .none)
    }
}
