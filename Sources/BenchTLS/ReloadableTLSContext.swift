import NIOConcurrencyHelpers

/// The TLS context of a long-running process, replaceable while it runs (on SIGHUP): new connections are made
/// from ``current``; established ones keep the context they were made from (each `SSL` holds its own reference to
/// its `SSL_CTX`), so a reload never drops a session.
public final class ReloadableTLSContext: Sendable {
    /// The files and policy every load reads (the same paths each time: rotate by replacing the files).
    public let configuration: TLSConfiguration
    /// The role of every context loaded.
    public let role: TLSRole
    private let state: NIOLockedValueBox<TLSContext>

    /// Loads the first context.
    /// - Throws: ``TLSError`` as ``TLSContext/init(configuration:role:)``.
    public init(configuration: TLSConfiguration, role: TLSRole) throws(TLSError) {
        self.configuration = configuration
        self.role = role
        state = NIOLockedValueBox(try TLSContext(configuration: configuration, role: role))
    }

    /// The context new connections use.
    public var current: TLSContext { state.withLockedValue { $0 } }

    /// Reads certificate, key, trust roots (and CRL) again. On success new connections use them and the new
    /// certificate's identity is returned; on failure nothing changes (the previous files stay in use) and the
    /// error says which file is wrong.
    public func reload() -> Result<TLSPeerIdentity, TLSError> {
        do {
            let context = try TLSContext(configuration: configuration, role: role)
            let identity = try TLSPeerIdentity(certificateAt: configuration.certificateChainPath)
            state.withLockedValue { $0 = context }
            return .success(identity)
        } catch {
            return .failure(error)
        }
    }
}
