import BenchTLS
import Dispatch
import Foundation
import NIOConcurrencyHelpers

/// The throwaway PKI of one idle-agents run: a CA, the coordinator's certificate (SAN `IP:127.0.0.1`) and one
/// client certificate per agent, `agent-00001` ... (the coordinator knows agents by their certificate, so each
/// agent needs its own).
struct IdleAgentsCertificates: Sendable {
    let authority: CertificateAuthority
    let server: CertificateFiles
    let agents: [IdleAgentFleet.Identity]

    /// Issues everything into `directory`, the agent certificates on every core; prints how long it took.
    /// - Throws: ``IdleAgentsError`` `.setup` naming the first certificate that could not be issued.
    static func issue(agents count: Int, in directory: String) async throws(IdleAgentsError) -> IdleAgentsCertificates {
        let started = ContinuousClock.now
        let authority: CertificateAuthority
        let server: CertificateFiles
        do {
            authority = try CertificateAuthority.create(in: directory, commonName: "mmmbench idle-agents CA")
            server = try authority.issueServerCertificate(subjectAlternativeNames: [.ip("127.0.0.1")])
        } catch {
            throw IdleAgentsError(kind: .setup, operation: "create the CA", reason: "\(error)")
        }
        let width = max(5, String(count).count)
        let names = (1...max(1, count)).map { "agent-" + String(repeating: "0", count: width - String($0).count)
            + String($0) }
        let issued = NIOLockedValueBox<[Int: CertificateFiles]>([:])
        let failure = NIOLockedValueBox<String?>(nil)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                DispatchQueue.concurrentPerform(iterations: names.count) { index in
                    guard failure.withLockedValue({ $0 == nil }) else { return }
                    do {
                        let files = try authority.issueClientCertificate(agentName: names[index])
                        issued.withLockedValue { $0[index] = files }
                    } catch {
                        failure.withLockedValue { $0 = $0 ?? "\(names[index]): \(error)" }
                    }
                }
                continuation.resume()
            }
        }
        if let reason = failure.withLockedValue({ $0 }) {
            throw IdleAgentsError(kind: .setup, operation: "issue agent certificates", reason: reason)
        }
        let files = issued.withLockedValue { $0 }
        var identities: [IdleAgentFleet.Identity] = []
        for (index, name) in names.enumerated() {
            guard let certificate = files[index] else {
                throw IdleAgentsError(kind: .setup, operation: "issue agent certificates",
                                      reason: "\(name) was not issued")
            }
            identities.append(IdleAgentFleet.Identity(name: name, files: certificate))
        }
        let elapsed = IdleAgentsBenchmark.seconds(ContinuousClock.now - started)
        IdleAgentsSession.say(String(format: "issued %d agent certificates in %.1f s (%.0f/s)", names.count, elapsed,
                     Double(names.count) / max(elapsed, 1e-9)))
        return IdleAgentsCertificates(authority: authority, server: server, agents: identities)
    }
}
