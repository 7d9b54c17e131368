import COpenSSL

/// Access to OpenSSL's thread-local error queue. Clear it before a call, drain it into the error after, so that
/// one connection's failure never shows up in the next connection's diagnosis.
enum OpenSSLErrorQueue {
    /// One drained entry: the packed code and OpenSSL's formatted text.
    struct Entry: Sendable, Hashable {
        let code: UInt
        let text: String

        /// The reason part of the code (`ERR_GET_REASON`).
        var reason: Int32 { ERR_GET_REASON(code) }
    }

    /// Discards whatever is queued.
    static func clear() {
        ERR_clear_error()
    }

    /// Removes and returns all queued entries, oldest first. Bounded by the queue's fixed capacity.
    static func drain() -> [Entry] {
        var entries: [Entry] = []
        // OpenSSL's per-thread queue holds at most ERR_NUM_ERRORS (16) entries; the bound guards a broken build.
        for _ in 0..<64 {
            let code = ERR_get_error()
            if code == 0 { break }
            entries.append(Entry(code: code, text: text(of: code)))
        }
        return entries
    }

    /// Drains the queue into formatted strings.
    static func drainText() -> [String] {
        drain().map(\.text)
    }

    /// OpenSSL's text for one error code, e.g. `error:0A000086:SSL routines::certificate verify failed`.
    static func text(of code: UInt) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        buffer.withUnsafeMutableBufferPointer { pointer in
            guard let base = pointer.baseAddress else { return }
            ERR_error_string_n(code, base, pointer.count)
        }
        let length = buffer.firstIndex(of: 0) ?? buffer.count
        let bytes = buffer.prefix(length).map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
