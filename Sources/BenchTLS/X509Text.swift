import COpenSSL

/// Reads text out of OpenSSL X509 objects: times, the subject CN, SANs, fingerprints.
enum X509Text {
    /// `ASN1_TIME` as OpenSSL prints it, e.g. `Jan  2 03:04:05 2026 GMT`.
    static func time(_ time: UnsafePointer<ASN1_TIME>) -> String {
        withMemoryBIO { bio in ASN1_TIME_print(bio, time) == 1 } ?? "?"
    }

    /// Runs `body` with a fresh memory BIO and returns what it wrote, or nil if `body` reports failure.
    static func withMemoryBIO(_ body: (OpaquePointer) -> Bool) -> String? {
        guard let bio = BIO_new(BIO_s_mem()) else { return nil }
        defer { BIO_free(bio) }
        guard body(bio) else { return nil }
        return contents(ofMemoryBIO: bio)
    }

    /// All bytes currently held by a memory BIO, decoded as UTF-8.
    static func contents(ofMemoryBIO bio: OpaquePointer) -> String {
        var data: UnsafeMutablePointer<CChar>?
        let length = COpenSSL_BIO_get_mem_data(bio, &data)
        guard let data, length > 0 else { return "" }
        let bytes = UnsafeRawBufferPointer(start: data, count: Int(length))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The identity of a certificate: subject CN, DNS and IP SANs, SHA-256 fingerprint.
    static func identity(of certificate: OpaquePointer) -> TLSPeerIdentity {
        let (dnsNames, ipAddresses) = subjectAlternativeNames(of: certificate)
        return TLSPeerIdentity(
            commonName: commonName(of: certificate),
            dnsNames: dnsNames,
            ipAddresses: ipAddresses,
            fingerprintSHA256: fingerprintSHA256(of: certificate))
    }

    /// The identity of the first certificate in a PEM file.
    static func identity(ofCertificateAt path: String) throws(TLSError) -> TLSPeerIdentity {
        let certificate = try X509Builder.readCertificate(path: path, operation: "read certificate")
        defer { X509_free(certificate) }
        return identity(of: certificate)
    }

    /// The first CN of the subject, if any.
    static func commonName(of certificate: OpaquePointer) -> String? {
        guard let subject = X509_get_subject_name(certificate) else { return nil }
        let index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1)
        guard index >= 0, let entry = X509_NAME_get_entry(subject, index),
              let data = X509_NAME_ENTRY_get_data(entry)
        else { return nil }
        return utf8(of: data)
    }

    /// DNS and IP subjectAltName entries, in certificate order.
    static func subjectAlternativeNames(of certificate: OpaquePointer) -> (dns: [String], ip: [String]) {
        guard let raw = X509_get_ext_d2i(certificate, NID_subject_alt_name, nil, nil) else { return ([], []) }
        let names = OpaquePointer(raw)
        defer { COpenSSL_GENERAL_NAMES_free(names) }
        var dns: [String] = []
        var ip: [String] = []
        let count = COpenSSL_sk_GENERAL_NAME_num(names)
        for index in 0..<max(0, count) {
            guard let name = COpenSSL_sk_GENERAL_NAME_value(names, index) else { continue }
            if let value = COpenSSL_GENERAL_NAME_dns(name) {
                dns.append(bytes(of: value).map { String(decoding: $0, as: UTF8.self) } ?? "")
            } else if let value = COpenSSL_GENERAL_NAME_ip(name), let octets = bytes(of: value) {
                ip.append(ipAddressText(octets))
            }
        }
        return (dns, ip)
    }

    /// SHA-256 over the DER encoding, lowercase hex.
    static func fingerprintSHA256(of certificate: OpaquePointer) -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = digest.withUnsafeMutableBufferPointer { buffer in
            X509_digest(certificate, EVP_sha256(), buffer.baseAddress, &length)
        }
        guard ok == 1 else { return "" }
        return digest.prefix(Int(length)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Text form of a 4- or 16-byte address (IPv6 in full, not compressed, lowercase).
    static func ipAddressText(_ octets: [UInt8]) -> String {
        if octets.count == 4 {
            return octets.map(String.init).joined(separator: ".")
        }
        if octets.count == 16 {
            return stride(from: 0, to: 16, by: 2).map { index in
                String(UInt16(octets[index]) << 8 | UInt16(octets[index + 1]), radix: 16)
            }.joined(separator: ":")
        }
        return octets.map { String($0, radix: 16) }.joined(separator: ":")
    }

    private static func bytes(of string: UnsafePointer<ASN1_STRING>) -> [UInt8]? {
        let length = ASN1_STRING_length(string)
        guard length >= 0, let data = ASN1_STRING_get0_data(string) else { return nil }
        return Array(UnsafeBufferPointer(start: data, count: Int(length)))
    }

    private static func utf8(of string: UnsafeMutablePointer<ASN1_STRING>) -> String? {
        var output: UnsafeMutablePointer<UInt8>?
        let length = ASN1_STRING_to_UTF8(&output, string)
        guard length >= 0, let output else { return nil }
        defer { CRYPTO_free(output, #fileID, #line) }
        return String(decoding: UnsafeBufferPointer(start: output, count: Int(length)), as: UTF8.self)
    }
}
