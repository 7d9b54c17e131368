import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#endif

/// A loopback port nobody listens on, kept that way: the socket is bound to 127.0.0.1 but never listens, so a
/// connection to the port is refused, and no other test can bind it while this value holds it (a port that was only
/// probed and closed was taken by another test's HTTP server under a parallel CI run, and the "unreachable" trainer
/// answered 404). `release()` (or the end of the value) frees it, for a trainer to start on that port.
public final class ClosedLoopbackPort: Sendable {
    /// The port number.
    public let port: Int
    private let descriptor: NIOLockedValueBox<Int32?>

    /// Binds a socket to 127.0.0.1 on a port the kernel picks; throws when it cannot.
    public init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClosedLoopbackPortError("socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            close(fd)
            throw ClosedLoopbackPortError("bind: \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            close(fd)
            throw ClosedLoopbackPortError("getsockname: \(errno)")
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        descriptor = NIOLockedValueBox(fd)
    }

    /// Frees the port (closes the socket); idempotent.
    public func release() {
        descriptor.withLockedValue { fd in
            if let open = fd { close(open) }
            fd = nil
        }
    }

    deinit { release() }
}

/// Why a ``ClosedLoopbackPort`` could not be made: the call that failed and its errno.
public struct ClosedLoopbackPortError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
