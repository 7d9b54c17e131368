import BenchObservability
import Foundation
import Logging
import TestSupport
import Testing

/// `coordinator --http` and `agent --http` stop their endpoint by cancelling its task as the process ends, when a
/// scrape may be connecting. Cancelling Hummingbird's own task trapped the process when a connection had been
/// accepted but not yet handed over ("Deinited NIOAsyncWriter without calling finish()"); the endpoint turns the
/// cancellation into a graceful shutdown.
@Suite("HTTP endpoint: stopping while clients connect")
struct HTTPEndpointStopTests {
    @Test("cancelling the endpoint's task while connections keep arriving ends it cleanly, every time")
    func cancelWhileConnecting() async throws {
        // Ten stops: with Hummingbird's task cancelled directly the trainer's server trapped in the first one or
        // two (LifecycleTests in BenchTrainerTests, the same race).
        for _ in 0..<10 {
            let bound = AsyncStream.makeStream(of: Int.self)
            let serving = Task {
                try await HTTPEndpoint.runMetrics(
                    host: "127.0.0.1", port: 0, security: .plain, serverName: "test", logger: Logger(label: "test"),
                    render: { "up 1\n" }, onListening: { port in
                        bound.continuation.yield(port)
                        bound.continuation.finish()
                    })
            }
            var iterator = bound.stream.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let connector = LoopbackConnector(port: port)
            // Connections are arriving when the endpoint is stopped.
            #expect(await connector.connected())
            serving.cancel()
            _ = await serving.result
            #expect(await connector.stop() > 0)
            #expect(!LoopbackConnector.accepts(port: port), "the listener is closed once the endpoint's task has ended")
        }
    }
}
