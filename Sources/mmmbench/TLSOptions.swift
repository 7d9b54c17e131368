import ArgumentParser
import BenchTLS

/// Which end of the mutual TLS connection a command is, for the help text of its ``TLSOptions``.
protocol TLSOptionsRole {
    /// Help of `--cert`.
    static var certificateHelp: String { get }
    /// Help of `--key`.
    static var keyHelp: String { get }
    /// Help of `--ca`.
    static var caHelp: String { get }
}

/// `mmmbench agent`'s end: it dials the coordinator.
enum AgentTLSRole: TLSOptionsRole {
    static let certificateHelp = "This agent's certificate (PEM), from `mmmbench certs agent`."
    static let keyHelp = "This agent's private key (PEM)."
    static let caHelp = "The deployment's CA certificate (ca.pem)."
}

/// `mmmbench coordinator`'s end: agents dial it.
enum CoordinatorTLSRole: TLSOptionsRole {
    static let certificateHelp = "The coordinator's certificate (PEM), from `mmmbench certs coordinator`."
    static let keyHelp = "The coordinator's private key (PEM)."
    static let caHelp = "The deployment's CA certificate (ca.pem); agents' certificates must chain to it."
}

/// The mutual TLS options every command that speaks the agent protocol takes (`--cert`, `--key`, `--ca`,
/// `--tls-min-version`): declared, checked and turned into a ``TLSConfiguration`` in this one place.
struct TLSOptions<Role: TLSOptionsRole>: ParsableArguments {
    @Option(help: ArgumentHelp(Role.certificateHelp))
    var cert: String

    @Option(help: ArgumentHelp(Role.keyHelp))
    var key: String

    @Option(help: ArgumentHelp(Role.caHelp))
    var ca: String

    @Option(name: .customLong("tls-min-version"), help: "Lowest TLS version accepted: 1.3 (default) or 1.2.")
    var tlsMinimumVersion: String = TLSVersion.v1_3.rawValue

    func validate() throws {
        guard TLSVersion(rawValue: tlsMinimumVersion) != nil else {
            throw ValidationError("--tls-min-version must be 1.2 or 1.3, got '\(tlsMinimumVersion)'")
        }
        for (option, path) in [("--cert", cert), ("--key", key), ("--ca", ca)] where path.isEmpty {
            throw ValidationError("\(option) must name a PEM file, got an empty path")
        }
    }

    /// The TLS configuration these options describe, with the CA's revocation list when the command has one.
    func configuration(crlPath: String? = nil) -> TLSConfiguration {
        TLSConfiguration(certificateChainPath: cert, privateKeyPath: key, trustRootsPath: ca,
                         minimumVersion: TLSVersion(rawValue: tlsMinimumVersion) ?? .v1_3, crlPath: crlPath)
    }
}
