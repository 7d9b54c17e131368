import COpenSSL

/// Validation of SAN entries and names, shared by ``SubjectAlternativeName`` and ``CertificateAuthority``.
enum SubjectAlternativeNameParser {
    static func parse(_ raw: String) throws(TLSError) -> SubjectAlternativeName {
        let text = raw.trimmingSpaces()
        guard !text.isEmpty else {
            throw invalid(raw, "empty entry")
        }
        if ipOctets(text) != nil {
            return .ip(text)
        }
        if text.contains(":") {
            throw invalid(raw, "not a valid IP address")
        }
        if let problem = dnsNameProblem(text, allowWildcard: true) {
            throw invalid(raw, problem)
        }
        return .dns(text)
    }

    /// The 4 or 16 address bytes of an IP literal, parsed by OpenSSL (`a2i_IPADDRESS`), or nil.
    static func ipOctets(_ text: String) -> [UInt8]? {
        guard let octets = a2i_IPADDRESS(text) else { return nil }
        defer { ASN1_OCTET_STRING_free(octets) }
        let length = Int(ASN1_STRING_length(octets))
        guard length == 4 || length == 16, let data = ASN1_STRING_get0_data(octets) else { return nil }
        return Array(UnsafeBufferPointer(start: data, count: length))
    }

    /// Why `name` is not a valid DNS name (RFC 1123 labels), or nil when it is.
    static func dnsNameProblem(_ name: String, allowWildcard: Bool) -> String? {
        guard name.utf8.count <= 253 else { return "longer than 253 characters" }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        for (index, label) in labels.enumerated() {
            if index == 0, allowWildcard, label == "*", labels.count > 2 { continue }
            guard !label.isEmpty else { return "empty label" }
            guard label.utf8.count <= 63 else { return "label '\(label)' longer than 63 characters" }
            guard label.utf8.allSatisfy(isLabelByte) else {
                return "label '\(label)' may hold only letters, digits and '-'"
            }
            guard label.first != "-", label.last != "-" else { return "label '\(label)' starts or ends with '-'" }
        }
        return nil
    }

    private static func isLabelByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    private static func invalid(_ text: String, _ reason: String) -> TLSError {
        TLSError(.invalidSubjectAlternativeName, operation: "parse subjectAltName",
                 reason: "'\(text)': \(reason)")
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
