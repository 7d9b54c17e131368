import Foundation

/// The validity window written into a certificate (`notBefore`…`notAfter`).
public struct CertificateValidity: Sendable, Hashable {
    /// First instant the certificate is valid.
    public var notBefore: Date
    /// Last instant the certificate is valid.
    public var notAfter: Date

    /// A window from `notBefore` to `notAfter`. An already-expired window is allowed (tests use one).
    public init(notBefore: Date, notAfter: Date) {
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    /// Default validity of a CA, in days (10 years): rotating a CA means re-issuing every certificate.
    public static let authorityDefaultDays = 3650
    /// Default validity of coordinator and agent certificates, in days (Mozilla's modern profile asks for at most
    /// 90; rotate them with `mmmbench certs ... --force` and SIGHUP, docs/tls.md "Rotating certificates").
    public static let leafDefaultDays = 90

    /// `days` days starting 5 minutes before `start` (tolerating small clock differences between hosts).
    public static func days(_ days: Int, from start: Date = Date()) -> CertificateValidity {
        let notBefore = start.addingTimeInterval(-300)
        return CertificateValidity(notBefore: notBefore, notAfter: start.addingTimeInterval(Double(days) * 86_400))
    }
}
