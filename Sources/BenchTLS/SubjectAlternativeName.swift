/// One subjectAltName entry of a server certificate: a DNS name or an IP address.
public enum SubjectAlternativeName: Sendable, Hashable, CustomStringConvertible {
    /// A DNS name such as `coordinator.example.net` (a leading `*.` wildcard label is allowed).
    case dns(String)
    /// An IPv4 or IPv6 address literal such as `10.0.0.5` or `::1`.
    case ip(String)

    /// Parses one entry: an IP literal becomes `.ip`, a valid DNS name `.dns`.
    /// - Throws: ``TLSError`` `.invalidSubjectAlternativeName` for anything else (empty, spaces, bad labels).
    public init(parsing text: String) throws(TLSError) {
        self = try SubjectAlternativeNameParser.parse(text)
    }

    /// Parses a comma-separated list such as `"host1,10.0.0.5"`; empty items are errors.
    public static func parseList(_ text: String) throws(TLSError) -> [SubjectAlternativeName] {
        var result: [SubjectAlternativeName] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            result.append(try SubjectAlternativeName(parsing: String(item)))
        }
        return result
    }

    /// `DNS:name` or `IP:address`, as OpenSSL prints them.
    public var description: String {
        switch self {
        case .dns(let name): "DNS:\(name)"
        case .ip(let address): "IP:\(address)"
        }
    }
}
