import BenchTLS
import Foundation
import TestTiming
import Testing

/// OpenSSL's process-wide state outlives the exit handlers (COpenSSLLifetime): a thread still inside a TLS call
/// when `main` returns must not find it freed. Before this, OpenSSL's own `atexit` cleanup freed it, a thread that
/// ended afterwards lost its per-thread state (the libcrypto leak of the ASan runs), and a later call crashed or
/// failed.
@Suite("OpenSSL lives until the process ends")
struct OpenSSLLifetimeTests {
    @Test("this process (every binary with BenchTLS) initialized OpenSSL without its exit-time cleanup")
    func keptUntilExitInThisProcess() {
        #expect(OpenSSLLifetime.keptUntilExit)
    }

    @Test("a certificate is still issued from an exit handler that runs after every handler registered later")
    func usableAfterExitHandlers() async throws {
        let directory = try TestCertificates.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The probe registers its handler before OpenSSL's first use, so OpenSSL's cleanup (were it registered)
        // would run before it: without COpenSSLLifetime it exits 1 with "cannot open file" or crashes.
        let output = try await ChildProcess.run(Self.probePath, [directory], timeout: TestTiming.seconds(60))
        #expect(output.status == 0, "stderr: \(output.standardError)")
        #expect(output.standardOutput.contains("kept until exit: true"))
        let issued = directory + "/late-agent.pem"
        #expect(output.standardOutput.contains("issued after exit: \(issued)"))
        let certificate = try String(contentsOfFile: issued, encoding: .utf8)
        #expect(certificate.hasPrefix("-----BEGIN CERTIFICATE-----"))
    }

    /// Tests/OpenSSLExitProbe, built next to the test bundle.
    static var probePath: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("openssl-exit-probe").path
    }
}
