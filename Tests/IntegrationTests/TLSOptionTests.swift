import Foundation
import Testing

/// `--cert`, `--key`, `--ca` and `--tls-min-version` are one option group shared by `agent` and `coordinator`:
/// the same checks and messages for both, and each command's help still says whose certificate it is.
@Suite("CLI: the mutual TLS options")
struct TLSOptionTests {
    static let agent = ["agent", "--coordinator", "127.0.0.1:1", "--no-trainer"]
    static let coordinator = ["coordinator", "--listen", "127.0.0.1:0", "--db", "x.sqlite"]
    static let files = ["--cert", "c.pem", "--key", "k.pem", "--ca", "ca.pem"]

    @Test("a bad TLS option is a usage error naming the option, the same for agent and coordinator", arguments: [
        (agent + files + ["--tls-min-version", "1.1"], "--tls-min-version must be 1.2 or 1.3, got '1.1'"),
        (coordinator + files + ["--tls-min-version", "1.1"], "--tls-min-version must be 1.2 or 1.3, got '1.1'"),
        (agent + ["--cert", "", "--key", "k.pem", "--ca", "ca.pem"], "--cert must name a PEM file"),
        (coordinator + ["--cert", "c.pem", "--key", "k.pem", "--ca", ""], "--ca must name a PEM file"),
        (agent + ["--cert", "c.pem", "--ca", "ca.pem"], "Missing expected argument '--key <key>'"),
        (coordinator + ["--cert", "c.pem", "--key", "k.pem"], "Missing expected argument '--ca <ca>'"),
    ])
    func refused(arguments: [String], expected: String) async throws {
        let child = try ChildProcess(arguments)
        #expect(await child.waitForExit(timeout: .seconds(60)) == 64, "\(child.text)")
        #expect(child.text.contains(expected), "\(child.text)")
    }

    @Test("each command's help names its own certificate under the mutual TLS options", arguments: [
        (["agent", "--help"], "This agent's certificate (PEM), from `mmmbench certs agent`."),
        (["coordinator", "--help"], "The coordinator's certificate (PEM), from `mmmbench certs coordinator`."),
        (["coordinator", "--help"], "agents' certificates must chain to it"),
    ])
    func help(arguments: [String], expected: String) async throws {
        let child = try ChildProcess(arguments)
        #expect(await child.waitForExit(timeout: .seconds(60)) == 0, "\(child.text)")
        let text = child.text.replacingOccurrences(of: "\n", with: " ")
            .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        #expect(text.contains("MUTUAL TLS:"), "\(child.text)")
        #expect(text.contains(expected), "\(child.text)")
        #expect(text.contains("--tls-min-version"), "\(child.text)")
    }
}
