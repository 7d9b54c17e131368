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
        self.directory = directory
        for path in [certificatePath, privateKeyPath] where !FileManager.default.fileExists(atPath: path) {
            throw TLSError(
                .authorityNotFound, operation: "open certificate authority", file: path,
                reason: "no CA in \(directory) (create one first: mmmbench certs init --dir \(directory))")
        }
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
        validity: CertificateValidity = .days(CertificateValidity.authorityDefaultDays),
        force: Bool = false
    ) throws(TLSError) -> CertificateAuthority {
        let operation = "create certificate authority"
        let certificatePath = path(directory, certificateFileName)
        let privateKeyPath = path(directory, privateKeyFileName)
        try PEMFileWriter.ensureDirectory(directory, operation: operation)
        try refuseExisting([certificatePath, privateKeyPath], force: force, operation: operation)

        let key = try X509Builder.generateP256Key(operation: operation)
        defer { EVP_PKEY_free(key) }
        let certificate = try X509Builder.makeCertificate(
            commonName: commonName, publicKey: key, issuer: nil, signingKey: key, validity: validity,
            extensions: [
                .init(nid: NID_basic_constraints, value: "critical,CA:TRUE,pathlen:0"),
                .init(nid: NID_key_usage, value: "critical,keyCertSign,cRLSign"),
                .init(nid: NID_subject_key_identifier, value: "hash"),
                .init(nid: NID_authority_key_identifier, value: "keyid:always"),
            ],
            operation: operation)
        defer { X509_free(certificate) }
        try PEMFileWriter.write(
            [
                .init(path: privateKeyPath, contents: try X509Builder.pem(privateKey: key, operation: operation),
                      mode: PEMFileWriter.privateKeyMode),
                .init(path: certificatePath,
                      contents: try X509Builder.pem(certificate: certificate, operation: operation),
                      mode: PEMFileWriter.certificateMode),
            ],
            force: force, operation: operation)
        return try CertificateAuthority(directory: directory)
    }

    /// Issues the coordinator's server certificate (`extendedKeyUsage=serverAuth`) with the given SANs; the CN is
    /// the first SAN. Writes `<fileBaseName>.pem` and `<fileBaseName>-key.pem` into ``directory``.
    /// - Throws: ``TLSError`` `.invalidSubjectAlternativeName` (no SAN), `.invalidName`, `.fileExists`, …
    public func issueServerCertificate(
        subjectAlternativeNames: [SubjectAlternativeName],
        fileBaseName: String = CertificateAuthority.serverFileBaseName,
        validity: CertificateValidity = .days(CertificateValidity.leafDefaultDays),
        force: Bool = false
    ) throws(TLSError) -> CertificateFiles {
        let operation = "issue server certificate"
        guard let first = subjectAlternativeNames.first else {
            throw TLSError(.invalidSubjectAlternativeName, operation: operation,
                           reason: "a server certificate needs at least one DNS name or IP address")
        }
        try Self.validateFileBaseName(fileBaseName, operation: operation)
        var entries: [String] = []
        for name in subjectAlternativeNames {
            // Re-validate: the enum cases are public, so values may not have come through the parser.
            let checked: SubjectAlternativeName = switch name {
            case .dns(let text), .ip(let text): try SubjectAlternativeName(parsing: text)
            }
            guard checked == name else {
                throw TLSError(.invalidSubjectAlternativeName, operation: operation,
                               reason: "'\(name)' is not a valid entry of its kind")
            }
            entries.append(checked.description)
        }
        let commonName = switch first {
        case .dns(let text), .ip(let text): text
        }
        return try issue(
            commonName: commonName, fileBaseName: fileBaseName, extendedKeyUsage: "serverAuth",
            subjectAlternativeNames: entries.joined(separator: ","), validity: validity, force: force,
            operation: operation)
    }

    /// Issues an agent's client certificate (`extendedKeyUsage=clientAuth`) whose subject CN and single DNS SAN
    /// are `agentName`. Writes `<agentName>.pem` and `<agentName>-key.pem` into ``directory``.
    /// - Throws: ``TLSError`` `.invalidName` (see ``validateAgentName(_:)``), `.fileExists`, …
    public func issueClientCertificate(
        agentName: String,
        validity: CertificateValidity = .days(CertificateValidity.leafDefaultDays),
        force: Bool = false
    ) throws(TLSError) -> CertificateFiles {
        try Self.validateAgentName(agentName)
        return try issue(
            commonName: agentName, fileBaseName: agentName, extendedKeyUsage: "clientAuth",
            subjectAlternativeNames: "DNS:\(agentName)", validity: validity, force: force,
            operation: "issue client certificate")
    }

    /// Checks an agent name: 1–63 characters, dot-separated labels of `A-Z a-z 0-9 -` that start and end with a
    /// letter or digit (so it is a valid DNS SAN and a safe file name), and not a name whose files would collide
    /// with the CA's or coordinator's (`ca`, `coordinator`, anything ending in `-key`).
    public static func validateAgentName(_ name: String) throws(TLSError) {
        try validateFileBaseName(name, operation: "check agent name")
        let reserved = [
            (certificateFileName as NSString).deletingPathExtension,
            (privateKeyFileName as NSString).deletingPathExtension,
            serverFileBaseName,
        ]
        guard !reserved.contains(name.lowercased()) else {
            throw TLSError(.invalidName, operation: "check agent name",
                           reason: "'\(name)' is reserved for the CA or coordinator files")
        }
    }

    static func path(_ directory: String, _ file: String) -> String {
        directory.hasSuffix("/") ? directory + file : directory + "/" + file
    }

    // MARK: - Private

    private static func validateFileBaseName(_ name: String, operation: String) throws(TLSError) {
        guard !name.isEmpty, name.utf8.count <= 63 else {
            throw TLSError(.invalidName, operation: operation, reason: "'\(name)': must be 1 to 63 characters")
        }
        if let problem = SubjectAlternativeNameParser.dnsNameProblem(name, allowWildcard: false) {
            throw TLSError(.invalidName, operation: operation, reason: "'\(name)': \(problem)")
        }
        guard !name.lowercased().hasSuffix("-key") else {
            throw TLSError(.invalidName, operation: operation,
                           reason: "'\(name)': may not end in '-key' (it would collide with key file names)")
        }
    }

    private static func refuseExisting(_ paths: [String], force: Bool, operation: String) throws(TLSError) {
        guard !force else { return }
        for path in paths where FileManager.default.fileExists(atPath: path) {
            throw TLSError(.fileExists, operation: operation, file: path,
                           reason: "file exists (use --force to overwrite)")
        }
    }

    private func issue(
        commonName: String,
        fileBaseName: String,
        extendedKeyUsage: String,
        subjectAlternativeNames: String,
        validity: CertificateValidity,
        force: Bool,
        operation: String
    ) throws(TLSError) -> CertificateFiles {
        let files = CertificateFiles(
            certificatePath: Self.path(directory, fileBaseName + ".pem"),
            privateKeyPath: Self.path(directory, fileBaseName + "-key.pem"))
        try Self.refuseExisting([files.certificatePath, files.privateKeyPath], force: force, operation: operation)

        let authorityCertificate = try X509Builder.readCertificate(path: certificatePath, operation: operation)
        defer { X509_free(authorityCertificate) }
        let authorityKey = try X509Builder.readPrivateKey(path: privateKeyPath, operation: operation)
        defer { EVP_PKEY_free(authorityKey) }
        OpenSSLErrorQueue.clear()
        guard X509_check_private_key(authorityCertificate, authorityKey) == 1 else {
            throw TLSError(.keyMismatch, operation: operation, file: privateKeyPath,
                           reason: "CA key does not match \(certificatePath)",
                           openSSLErrors: OpenSSLErrorQueue.drainText())
        }

        let key = try X509Builder.generateP256Key(operation: operation)
        defer { EVP_PKEY_free(key) }
        let certificate = try X509Builder.makeCertificate(
            commonName: commonName, publicKey: key, issuer: authorityCertificate, signingKey: authorityKey,
            validity: validity,
            extensions: [
                .init(nid: NID_basic_constraints, value: "critical,CA:FALSE"),
                .init(nid: NID_key_usage, value: "critical,digitalSignature"),
                .init(nid: NID_ext_key_usage, value: extendedKeyUsage),
                .init(nid: NID_subject_key_identifier, value: "hash"),
                .init(nid: NID_authority_key_identifier, value: "keyid:always"),
                .init(nid: NID_subject_alt_name, value: subjectAlternativeNames),
            ],
            operation: operation)
        defer { X509_free(certificate) }
        try PEMFileWriter.write(
            [
                .init(path: files.privateKeyPath, contents: try X509Builder.pem(privateKey: key, operation: operation),
                      mode: PEMFileWriter.privateKeyMode),
                .init(path: files.certificatePath,
                      contents: try X509Builder.pem(certificate: certificate, operation: operation),
                      mode: PEMFileWriter.certificateMode),
            ],
            force: force, operation: operation)
        return files
    }
}
