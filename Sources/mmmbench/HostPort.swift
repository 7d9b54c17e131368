import ArgumentParser

/// A `HOST:PORT` command-line address (IPv6 as `[::1]:PORT`), read in this one place for every option that takes
/// one, so each error names the option the user gave.
struct HostPort: Sendable, Equatable {
    let host: String
    let port: Int

    /// Reads `text`, the value of `option`. An address to listen on may have port 0 (a free port is picked); an
    /// address to connect to needs a port in 1...65535.
    init(_ text: String, option: String, listening: Bool) throws {
        let ports = listening ? 0...65_535 : 1...65_535
        guard let colon = text.lastIndex(of: ":") else {
            throw ValidationError("\(option) must be HOST:PORT, got '\(text)'")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]), ports.contains(port) else {
            throw ValidationError("\(option) must be HOST:PORT with PORT in \(ports), got '\(text)'")
        }
        self.host = host
        self.port = port
    }
}
