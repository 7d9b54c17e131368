import COpenSSL
import NIOCore

/// One OpenSSL connection (`SSL*`) between two memory BIOs. Does no channel I/O: ciphertext goes in through
/// ``feed(_:)`` and comes out of ``drainOutput(allocator:)``; plaintext goes through ``write(_:)`` and ``read(into:)``.
///
/// ```
///   feed(ciphertext) ──► [rbio] ──► SSL ──► read(into:)      (plaintext)
///   drainOutput()    ◄── [wbio] ◄── SSL ◄── write(_:)        (plaintext)
/// ```
///
/// Owns the `SSL*` (which owns both BIOs) and frees it in `deinit`. Every call clears the OpenSSL error queue
/// first and drains it into the ``TLSError`` on failure.
final class TLSEngine {
    /// Outcome of driving the handshake.
    enum HandshakeResult {
        case complete
        case wantRead
        case failed(TLSError)
    }

    /// Outcome of reading application data.
    enum ReadResult {
        /// Everything buffered was read; more input is needed.
        case wantRead
        /// The peer sent `close_notify`.
        case closeNotify
        case failed(TLSError)
    }

    private let ssl: OpaquePointer
    private let readBIO: OpaquePointer
    private let writeBIO: OpaquePointer
    private let role: TLSRole

    /// Size of each `SSL_read_ex` call: one maximum TLS record of plaintext.
    static let readChunkSize = 16_384

    init(context: TLSContext, serverHostname: String?) throws(TLSError) {
        let ssl = try context.makeConnection()
        OpenSSLErrorQueue.clear()
        guard let readBIO = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw TLSError(.contextSetupFailed, operation: "BIO_new", reason: "could not allocate a memory BIO",
                           openSSLErrors: OpenSSLErrorQueue.drainText())
        }
        guard let writeBIO = BIO_new(BIO_s_mem()) else {
            BIO_free(readBIO)
            SSL_free(ssl)
            throw TLSError(.contextSetupFailed, operation: "BIO_new", reason: "could not allocate a memory BIO",
                           openSSLErrors: OpenSSLErrorQueue.drainText())
        }
        // An empty read BIO means "no data yet" (retry), not EOF: TCP EOF is mapped by the handler.
        _ = COpenSSL_BIO_set_mem_eof_return(readBIO, -1)
        _ = COpenSSL_BIO_set_mem_eof_return(writeBIO, -1)
        SSL_set_bio(ssl, readBIO, writeBIO)  // the SSL now owns both BIOs
        self.ssl = ssl
        self.readBIO = readBIO
        self.writeBIO = writeBIO
        self.role = context.role
        if context.role == .client, let serverHostname {
            try expectServerName(serverHostname)
        }
    }

    deinit {
        SSL_free(ssl)
    }

    // MARK: - Ciphertext in and out

    /// Appends ciphertext received from the network to the read BIO. Memory BIOs grow, so this cannot block.
    func feed(_ buffer: ByteBuffer) throws(TLSError) {
        OpenSSLErrorQueue.clear()
        let written = buffer.withUnsafeReadableBytes { bytes -> Bool in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return true }
            var count = 0
            return BIO_write_ex(readBIO, base, bytes.count, &count) == 1 && count == bytes.count
        }
        guard written else {
            throw TLSError(.ioFailed, operation: "BIO_write", reason: "could not buffer received bytes",
                           openSSLErrors: OpenSSLErrorQueue.drainText())
        }
    }

    /// All ciphertext OpenSSL has produced since the last call, or nil if there is none.
    func drainOutput(allocator: ByteBufferAllocator) -> ByteBuffer? {
        let pending = COpenSSL_BIO_pending(writeBIO)
        guard pending > 0 else { return nil }
        var buffer = allocator.buffer(capacity: pending)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { bytes in
            var count = 0
            guard let base = bytes.baseAddress, BIO_read_ex(writeBIO, base, pending, &count) == 1 else { return 0 }
            return count
        }
        return buffer.readableBytes > 0 ? buffer : nil
    }

    // MARK: - TLS operations

    /// Drives the handshake as far as the buffered input allows.
    func handshake() -> HandshakeResult {
        OpenSSLErrorQueue.clear()
        let result = SSL_do_handshake(ssl)
        if result == 1 { return .complete }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return .wantRead
        default:
            return .failed(classifyFailure(operation: "handshake", default: .handshakeFailed))
        }
    }

    /// Checks what OpenSSL's verify result does not: that the peer did present a certificate, and that it
    /// verified. Returns the peer's identity.
    func verifiedPeer() throws(TLSError) -> TLSPeerIdentity {
        guard let certificate = SSL_get0_peer_certificate(ssl) else {
            throw TLSError(.peerCertificateMissing, operation: "verify peer",
                           reason: "the \(role == .server ? "client" : "server") presented no certificate")
        }
        let verifyResult = SSL_get_verify_result(ssl)
        guard verifyResult == X509_V_OK else {
            throw TLSError(.certificateVerificationFailed, operation: "verify peer",
                           reason: Self.verifyErrorText(verifyResult))
        }
        return X509Text.identity(of: certificate)
    }

    /// The negotiated protocol version, if it is one we name.
    var negotiatedVersion: TLSVersion? {
        switch SSL_version(ssl) {
        case COpenSSL_TLS1_3_VERSION(): .v1_3
        case COpenSSL_TLS1_2_VERSION(): .v1_2
        default: nil
        }
    }

    /// Decrypts all buffered application data into `buffer`.
    func read(into buffer: inout ByteBuffer) -> ReadResult {
        // Every successful SSL_read_ex returns at least one byte taken from input already fed, so this loop is
        // bounded by the input; the cap turns a broken invariant into an error instead of a hang.
        for _ in 0..<65_536 {
            OpenSSLErrorQueue.clear()
            var result: Int32 = 0
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: Self.readChunkSize) { bytes in
                var count = 0
                result = SSL_read_ex(ssl, bytes.baseAddress, bytes.count, &count)
                return result == 1 ? count : 0
            }
            if result == 1 { continue }
            switch SSL_get_error(ssl, result) {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                return .wantRead
            case SSL_ERROR_ZERO_RETURN:
                return .closeNotify
            default:
                return .failed(classifyFailure(operation: "read", default: .ioFailed))
            }
        }
        return .failed(TLSError(.noProgress, operation: "read", reason: "SSL_read did not stop returning data"))
    }

    /// Encrypts `buffer` completely (memory BIOs never apply back-pressure).
    func write(_ buffer: ByteBuffer) throws(TLSError) {
        OpenSSLErrorQueue.clear()
        var result: Int32 = 1
        var written = 0
        buffer.withUnsafeReadableBytes { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
            result = SSL_write_ex(ssl, base, bytes.count, &written)
        }
        guard result == 1 else {
            throw classifyFailure(operation: "write", default: .ioFailed)
        }
    }

    /// Queues our `close_notify`.
    func shutdown() {
        OpenSSLErrorQueue.clear()
        _ = SSL_shutdown(ssl)
        OpenSSLErrorQueue.clear()
    }

    // MARK: - Private

    private func expectServerName(_ name: String) throws(TLSError) {
        OpenSSLErrorQueue.clear()
        if SubjectAlternativeNameParser.ipOctets(name) != nil {
            // IP literal: match an iPAddress SAN; no SNI (RFC 6066 forbids IP addresses in SNI).
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name) == 1 else {
                throw TLSError(.contextSetupFailed, operation: "set expected server IP", reason: "'\(name)'",
                               openSSLErrors: OpenSSLErrorQueue.drainText())
            }
            return
        }
        SSL_set_hostflags(ssl, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
        guard SSL_set1_host(ssl, name) == 1, COpenSSL_SSL_set_tlsext_host_name(ssl, name) == 1 else {
            throw TLSError(.contextSetupFailed, operation: "set expected server name", reason: "'\(name)'",
                           openSSLErrors: OpenSSLErrorQueue.drainText())
        }
    }

    /// Turns the current failure (error queue + verify result) into a typed error.
    private func classifyFailure(operation: String, default code: TLSError.Code) -> TLSError {
        let entries = OpenSSLErrorQueue.drain()
        let texts = entries.map(\.text)
        if let alert = entries.first(where: { $0.reason > SSL_AD_REASON_OFFSET }) {
            let description = Self.alertDescription(alert)
            return TLSError(.rejectedByPeer, operation: operation, reason: "peer sent alert: \(description)",
                            openSSLErrors: texts)
        }
        if entries.contains(where: { $0.reason == SSL_R_CERTIFICATE_VERIFY_FAILED }) {
            return TLSError(.certificateVerificationFailed, operation: operation,
                            reason: Self.verifyErrorText(SSL_get_verify_result(ssl)), openSSLErrors: texts)
        }
        if entries.contains(where: { $0.reason == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE }) {
            return TLSError(.peerCertificateMissing, operation: operation,
                            reason: "the client presented no certificate", openSSLErrors: texts)
        }
        let reason = entries.isEmpty ? "OpenSSL reported a failure without details" : "OpenSSL error"
        return TLSError(code, operation: operation, reason: reason, openSSLErrors: texts)
    }

    /// The alert's name from OpenSSL's reason string (`"tlsv13 alert certificate required"` becomes
    /// `"certificate required"`); OpenSSL 3.0's `SSL_alert_desc_string_long` does not know TLS 1.3 alerts.
    private static func alertDescription(_ entry: OpenSSLErrorQueue.Entry) -> String {
        guard let text = ERR_reason_error_string(entry.code).map({ String(cString: $0) }) else {
            return "alert \(entry.reason - SSL_AD_REASON_OFFSET)"
        }
        guard let range = text.range(of: "alert ") else { return text }
        return String(text[range.upperBound...])
    }

    private static func verifyErrorText(_ result: Int) -> String {
        guard let text = X509_verify_cert_error_string(result) else { return "verify error \(result)" }
        return "certificate verify failed: \(String(cString: text))"
    }
}
