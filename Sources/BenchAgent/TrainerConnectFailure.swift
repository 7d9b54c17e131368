import AsyncHTTPClient
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why no connection to the trainer could be opened (as opposed to a request that was sent and then failed): the
/// one question that decides whether a failed trainer call may be a measurement.
///
/// Connection refused, no such host (a failed DNS lookup), network or host unreachable and a connect timeout are
/// connect failures. A timeout after connecting, a reset mid-request, an HTTP error or a bad body are not: the
/// trainer was reached, so they stay measurements, as in the seed.
enum TrainerConnectFailure {
    /// A short text for an error that means no connection could be opened, nil for any other error.
    static func reason(of error: any Error, connectTimeout: String) -> String? {
        switch error {
        case let error as HTTPClientError where error == .connectTimeout:
            return "connect timeout after \(connectTimeout)"
        case let error as NIOConnectionError:
            if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
                return "no such host (\(error.host): DNS lookup failed)"
            }
            let reasons = error.connectionErrors.map {
                reason(of: $0.error, connectTimeout: connectTimeout) ?? "\($0.error)"
            }
            return reasons.first ?? "cannot connect to \(error.host):\(error.port)"
        case let error as IOError:
            return errnoReason(error.errnoCode)
        case let error as ChannelError:
            if case .connectTimeout = error { return "connect timeout after \(connectTimeout)" }
            return nil
        case is SocketAddressError, is SocketAddressError.UnknownHost:
            return "no such host"
        default:
            return nil
        }
    }

    /// The connect-time `errno` values, in words; nil for others.
    static func errnoReason(_ code: Int32) -> String? {
        switch code {
        case ECONNREFUSED: return "connection refused"
        case EHOSTUNREACH: return "host unreachable"
        case ENETUNREACH: return "network unreachable"
        case EADDRNOTAVAIL: return "address not available"
        case ETIMEDOUT: return "connect timed out"
        default: return nil
        }
    }
}
