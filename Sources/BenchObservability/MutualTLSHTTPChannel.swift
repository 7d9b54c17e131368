import BenchTLS
import HummingbirdCore
import Logging
import NIOCore

/// A Hummingbird child channel that runs HTTP/1.1 behind mmmbench's own TLS (``OpenSSLHandler``, system OpenSSL)
/// instead of NIOSSL: the same certificates, CA, CRL and TLS policy as the wire protocol, so a client must present
/// a certificate of the deployment's CA (mutual TLS) before any request is read.
///
///     socket ⇄ OpenSSLHandler ⇄ HTTP/1.1 codec ⇄ Hummingbird responder
///
/// `tlsContext` is asked once per accepted connection, so that a reloaded context (SIGHUP) applies to new
/// connections. A connection whose handshake fails is closed by the handler; no request of it reaches the router.
struct MutualTLSHTTPChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let tlsContext: @Sendable () -> TLSContext

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(OpenSSLHandler(context: tlsContext()))
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension MutualTLSHTTPChannel: HTTPChannelHandler where Base: HTTPChannelHandler {
    var responder: HTTPChannelHandler.Responder { base.responder }
}
