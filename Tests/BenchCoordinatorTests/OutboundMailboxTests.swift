@testable import BenchCoordinator
import BenchJSON
import BenchProtocol
import BenchWire
import Testing

@Suite("OutboundMailbox: batching and the farewell")
struct OutboundMailboxTests {
    let ack = WireMessage.ack(.init(task: TaskRef(taskID: "t", attempt: 1), status: .committed))
    let beat = WireMessage.heartbeat(.init(sentAtMS: 1))

    @Test("everything queued is taken in one batch, in order")
    func batches() async {
        let mailbox = OutboundMailbox()
        mailbox.send([ack, beat])
        mailbox.send(ack)
        #expect(await mailbox.next() == [ack, beat, ack])
    }

    @Test("a waiting writer wakes on the next send")
    func wakes() async {
        let mailbox = OutboundMailbox()
        async let batch = mailbox.next()
        mailbox.send(beat)
        #expect(await batch == [beat])
    }

    @Test("after close, queued messages then the farewell are delivered, then nil; later sends are refused")
    func farewell() async {
        let mailbox = OutboundMailbox()
        mailbox.send(ack)
        mailbox.close(farewell: .bye(.init(reason: "done")))
        mailbox.close(farewell: .bye(.init(reason: "second close is ignored")))
        #expect(!mailbox.send(beat))
        #expect(await mailbox.next() == [ack, .bye(.init(reason: "done"))])
        #expect(await mailbox.next() == nil)
    }

    @Test("cancelling a waiting writer closes the mailbox")
    func cancellation() async {
        let mailbox = OutboundMailbox()
        let writer = Task { await mailbox.next() }
        writer.cancel()
        #expect(await writer.value == nil)
        #expect(mailbox.isClosed)
    }
}
