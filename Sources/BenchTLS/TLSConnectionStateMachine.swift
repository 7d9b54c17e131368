/// The decisions of ``OpenSSLHandler``: which phase a connection is in and what each channel event means there.
/// The handler performs the I/O each action names; this type does none.
///
/// ```
///  idle ──active──► handshaking ──handshake done──► active ──close() / close_notify──► closing
///   │                 │  (timeout, EOF, error, close)     │ (EOF without close_notify, error)   │
///   └─────────────────┴───────────────────────────────────┴──────────────────────────────► closed
/// ```
struct TLSConnectionStateMachine {
    enum State: Equatable {
        /// Added to a pipeline whose channel is not active yet.
        case idle
        /// Handshake started; application writes are buffered.
        case handshaking
        /// Handshake done and peer verified; application data flows.
        case active
        /// `close_notify` sent (or being sent); no more application data.
        case closing
        /// Closed or failed; no more OpenSSL calls.
        case closed
    }

    private(set) var state: State = .idle

    enum ActivateAction: Equatable { case startHandshake, none }

    /// The channel became active (or the handler was added to an active channel).
    mutating func channelActive() -> ActivateAction {
        guard state == .idle else { return .none }
        state = .handshaking
        return .startHandshake
    }

    enum ReadAction: Equatable { case continueHandshake, readApplicationData, discard }

    /// Ciphertext arrived.
    func channelRead() -> ReadAction {
        switch state {
        case .handshaking: .continueHandshake
        case .active: .readApplicationData
        case .idle, .closing, .closed: .discard
        }
    }

    enum HandshakeDoneAction: Equatable { case reportAndFlushBufferedWrites, none }

    /// The handshake finished and the peer was verified.
    mutating func handshakeSucceeded() -> HandshakeDoneAction {
        guard state == .handshaking else { return .none }
        state = .active
        return .reportAndFlushBufferedWrites
    }

    enum WriteAction: Equatable { case buffer, encrypt, fail }

    /// The application wrote plaintext.
    func write() -> WriteAction {
        switch state {
        case .idle, .handshaking: .buffer
        case .active: .encrypt
        case .closing, .closed: .fail
        }
    }

    enum CloseAction: Equatable {
        /// Fail the handshake and buffered writes with `.channelClosed`, then close.
        case failHandshakeThenClose
        /// Send `close_notify`, then close.
        case sendCloseNotifyThenClose
        /// Nothing to do at the TLS level; pass the close on.
        case closeOnly
    }

    /// The application asked to close.
    mutating func close() -> CloseAction {
        switch state {
        case .idle, .handshaking:
            state = .closed
            return .failHandshakeThenClose
        case .active:
            state = .closing
            return .sendCloseNotifyThenClose
        case .closing, .closed:
            return .closeOnly
        }
    }

    enum CloseNotifyAction: Equatable { case replyThenClose, closeOnly }

    /// The peer sent `close_notify`.
    mutating func closeNotifyReceived() -> CloseNotifyAction {
        switch state {
        case .active:
            state = .closing
            return .replyThenClose
        case .closing:
            return .closeOnly
        case .idle, .handshaking, .closed:
            state = .closed
            return .closeOnly
        }
    }

    enum FailureAction: Equatable {
        /// Fail the handshake promise and buffered writes, fire the error, close.
        case failHandshakeThenClose
        /// Fire the error and close.
        case reportThenClose
        /// Already closed: the error has no one left to tell.
        case ignore
    }

    /// OpenSSL failed fatally, verification failed, or the handshake timed out.
    mutating func failed() -> FailureAction {
        let previous = state
        state = .closed
        switch previous {
        case .idle, .handshaking: return .failHandshakeThenClose
        case .active, .closing: return .reportThenClose
        case .closed: return .ignore
        }
    }

    /// Whether a handshake timeout still applies.
    var isHandshaking: Bool { state == .idle || state == .handshaking }

    enum InactiveAction: Equatable {
        /// EOF before the handshake finished.
        case failHandshake
        /// EOF while active, without `close_notify`.
        case reportUncleanShutdown
        /// An orderly end.
        case clean
    }

    /// The TCP connection is gone.
    mutating func channelInactive() -> InactiveAction {
        let previous = state
        state = .closed
        switch previous {
        case .idle, .handshaking: return .failHandshake
        case .active: return .reportUncleanShutdown
        case .closing, .closed: return .clean
        }
    }

    /// The handler left the pipeline.
    mutating func removed() {
        state = .closed
    }
}
