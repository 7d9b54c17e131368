/// The two PEM files of one issued identity.
public struct CertificateFiles: Sendable, Hashable {
    /// The certificate (PEM), mode 0644.
    public let certificatePath: String
    /// The private key (PEM, PKCS#8, unencrypted), mode 0600.
    public let privateKeyPath: String

    /// Creates the pair of paths.
    public init(certificatePath: String, privateKeyPath: String) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
    }
}
