import COpenSSL
import Foundation

/// A small certificate authority for one mmmbench deployment, kept as two PEM files in a directory:
/// `ca.pem` (the CA certificate, the trust root of coordinator and agents) and `ca-key.pem` (its P-256 key).
///
/// ```
/// DIR/ca.pem  ca-key.pem                    certs init
/// DIR/coordinator.pem  coordinator-key.pem  certs coordinator --san host1,10.0.0.5   (serverAuth)
/// DIR/agent-1.pem  agent-1-key.pem          certs agent --name agent-1              (clientAuth, CN=agent-1)
/// ```
///
/// All keys are P-256, all certificates are X.509 v3 signed with ECDSA-SHA256 and carry basicConstraints,
/// keyUsage, extendedKeyUsage (leaves), subjectKeyIdentifier and authorityKeyIdentifier. Keys are written with
/// mode 0600; nothing is overwritten unless `force` is true.
public struct CertificateAuthority: Sendable, Hashable {
    /// File name of the CA certificate inside ``directory``.
    public static let certificateFileName = "ca.pem"
    /// File name of the CA private key inside ``directory``.
    public static let privateKeyFileName = "ca-key.pem"
    /// File base name of the coordinator's (server) identity: `coordinator.pem`, `coordinator-key.pem`.
    public static let serverFileBaseName = "coordinator"

    /// The directory holding the CA and the identities it issued.
    public let directory: String
    /// `directory/ca.pem`.
    public var certificatePath: String { Self.path(directory, Self.certificateFileName) }
    /// `directory/ca-key.pem`.
    public var privateKeyPath: String { Self.path(directory, Self.privateKeyFileName) }

    /// Opens the CA in `directory`.
    /// - Throws: ``TLSError`` `.authorityNotFound` when `ca.pem` or `ca-key.pem` is missing.
    public init(directory: String) throws(TLSError) {
        fatalError("TODO")
    }

    /// Creates a new CA (P-256 key, self-signed, `CA:TRUE, pathlen:0`) in `directory`, creating the directory.
    /// - Parameters:
    ///   - directory: where `ca.pem` and `ca-key.pem` are written.
    ///   - commonName: the CA's subject CN.
    ///   - validity: the CA's validity window (default 10 years).
    ///   - force: overwrite existing files.
    /// - Throws: ``TLSError`` `.fileExists`, `.fileWriteFailed`, `.certificateCreationFailed`.
    @discardableResult
    public static func create(
        in directory: String,
        commonName: String = "mmmbench CA",
        validity: CertificateValidity = .days(3650),
        force: Bool = false
    ) throws(TLSError) -> CertificateAuthority {
        fatalError("TODO")
    }

    /// Issues the coordinator's server certificate (`extendedKeyUsage=serverAuth`) with the given SANs; the CN is
    /// the first SAN. Writes `<fileBaseName>.pem` and `<fileBaseName>-key.pem` into ``directory``.
    /// - Throws: ``TLSError`` `.invalidSubjectAlternativeName` (no SAN), `.invalidName`, `.fileExists`, …
    public func issueServerCertificate(
        subjectAlternativeNames: [SubjectAlternativeName],
        fileBaseName: String = CertificateAuthority.serverFileBaseName,
        validity: CertificateValidity = .days(825),
        force: Bool = false
    ) throws(TLSError) -> CertificateFiles {
        fatalError("TODO")
    }

    /// Issues an agent's client certificate (`extendedKeyUsage=clientAuth`) whose subject CN and single DNS SAN
    /// are `agentName`. Writes `<agentName>.pem` and `<agentName>-key.pem` into ``directory``.
    /// - Throws: ``TLSError`` `.invalidName` (see ``validateAgentName(_:)``), `.fileExists`, …
    public func issueClientCertificate(
        agentName: String,
        validity: CertificateValidity = .days(825),
        force: Bool = false
    ) throws(TLSError) -> CertificateFiles {
        fatalError("TODO")
    }

    /// Checks an agent name: 1–63 characters of `A-Z a-z 0-9 . -`, starting and ending with a letter or digit,
    /// and not a name reserved for the CA or coordinator files (`ca`, `ca-key`, `coordinator`, ...).
    public static func validateAgentName(_ name: String) throws(TLSError) {
        fatalError("TODO")
    }

    static func path(_ directory: String, _ file: String) -> String {
        directory.hasSuffix("/") ? directory + file : directory + "/" + file
    }
}
