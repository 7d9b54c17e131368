import ArgumentParser
import BenchTLS
import Foundation

/// `mmmbench certs`: a private CA and the TLS identities of a coordinator and its agents.
///
/// ```
/// mmmbench certs init        --dir certs                          -> ca.pem, ca-key.pem
/// mmmbench certs coordinator --dir certs --san host1,10.0.0.5     -> coordinator.pem, coordinator-key.pem
/// mmmbench certs agent       --dir certs --name agent-1           -> agent-1.pem, agent-1-key.pem
/// ```
struct CertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certs",
        abstract: "Create the certificate authority and the TLS certificates of the coordinator and agents.",
        discussion: """
            Coordinator and agents authenticate each other with TLS certificates issued by one private CA. \
            A full set takes three commands:

              mmmbench certs init        --dir certs
              mmmbench certs coordinator --dir certs --san coordinator.example.net,10.0.0.5
              mmmbench certs agent       --dir certs --name agent-1      (once per agent)

            Give the coordinator ca.pem, coordinator.pem and coordinator-key.pem; give each agent ca.pem and its \
            own <name>.pem and <name>-key.pem. Keep ca-key.pem offline: it can mint new identities. Keys are \
            written with mode 0600; existing files are never overwritten without --force. Keys are P-256, \
            certificates are signed with ECDSA-SHA256. See certs-example/README.md and docs/tls.md.
            """,
        subcommands: [Init.self, Coordinator.self, Agent.self]
    )
}

extension CertsCommand {
    /// Options every `certs` subcommand takes.
    struct CommonOptions: ParsableArguments {
        @Option(help: "Directory holding ca.pem and ca-key.pem; new files are written here.")
        var dir: String

        @Option(parsing: .unconditional,
                help: "Validity in days, starting now (default: 3650 for the CA, 90 for other certificates).")
        var days: Int?

        @Flag(help: "Overwrite existing files.")
        var force = false

        func validate() throws {
            guard !dir.isEmpty else { throw ValidationError("--dir must not be empty") }
            if let days, !(1...36_500).contains(days) {
                throw ValidationError("--days must be between 1 and 36500, got \(days)")
            }
        }

        func validity(defaultDays: Int) -> CertificateValidity {
            .days(days ?? defaultDays)
        }
    }

    /// `certs init`: a new CA.
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create a new certificate authority: DIR/ca.pem and DIR/ca-key.pem.",
            discussion: "ca.pem is the trust root for coordinator and agents. ca-key.pem signs new certificates; "
                + "keep it off the machines that run mmmbench."
        )

        @OptionGroup var options: CommonOptions

        @Option(help: "Common name of the CA.")
        var commonName = "mmmbench CA"

        func run() async throws {
            let authority = try CertificateAuthority.create(
                in: options.dir, commonName: commonName,
                validity: options.validity(defaultDays: CertificateValidity.authorityDefaultDays),
                force: options.force)
            print("CA certificate:  \(authority.certificatePath)")
            print("CA private key:  \(authority.privateKeyPath) (mode 0600; keep it secret and offline)")
            print("next: mmmbench certs coordinator --dir \(options.dir) --san <host name or IP>[,...]")
        }
    }

    /// `certs coordinator`: the coordinator's server certificate.
    struct Coordinator: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "coordinator",
            abstract: "Issue the coordinator's server certificate: DIR/coordinator.pem and coordinator-key.pem.",
            discussion: "Every name or address agents use to reach the coordinator must be listed in --san; "
                + "agents refuse a coordinator whose certificate does not carry the name they connect to."
        )

        @OptionGroup var options: CommonOptions

        @Option(help: "Comma-separated DNS names and IP addresses of the coordinator, e.g. host1,10.0.0.5.")
        var san: String

        func validate() throws {
            do {
                _ = try SubjectAlternativeName.parseList(san)
            } catch {
                throw ValidationError("--san: \(error.reason)")
            }
        }

        func run() async throws {
            let names = try SubjectAlternativeName.parseList(san)
            let authority = try CertificateAuthority(directory: options.dir)
            let files = try authority.issueServerCertificate(
                subjectAlternativeNames: names,
                validity: options.validity(defaultDays: CertificateValidity.leafDefaultDays), force: options.force)
            try printIssued(files, authority: authority)
        }
    }

    /// `certs agent`: an agent's client certificate.
    struct Agent: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "agent",
            abstract: "Issue an agent's client certificate: DIR/<name>.pem and DIR/<name>-key.pem.",
            discussion: "The name is written into the certificate's common name and a DNS SAN; the coordinator "
                + "identifies (and may allow-list) the agent by it. Names: 1-63 characters, letters, digits, "
                + "'-' and '.', starting and ending with a letter or digit."
        )

        @OptionGroup var options: CommonOptions

        @Option(help: "Agent name, e.g. agent-1.")
        var name: String

        func validate() throws {
            do {
                try CertificateAuthority.validateAgentName(name)
            } catch {
                throw ValidationError("--name: \(error.reason)")
            }
        }

        func run() async throws {
            let authority = try CertificateAuthority(directory: options.dir)
            let files = try authority.issueClientCertificate(
                agentName: name, validity: options.validity(defaultDays: CertificateValidity.leafDefaultDays),
                force: options.force)
            try printIssued(files, authority: authority)
        }
    }
}

/// Prints an issued identity: paths, who it names, and its fingerprint.
private func printIssued(_ files: CertificateFiles, authority: CertificateAuthority) throws {
    let identity = try TLSPeerIdentity(certificateAt: files.certificatePath)
    let names = identity.dnsNames.map { "DNS:\($0)" } + identity.ipAddresses.map { "IP:\($0)" }
    print("certificate:  \(files.certificatePath)")
    print("private key:  \(files.privateKeyPath) (mode 0600)")
    print("trust root:   \(authority.certificatePath)")
    print("subject:      CN=\(identity.commonName ?? "-")  \(names.joined(separator: ", "))")
    print("SHA-256:      \(identity.fingerprintSHA256)")
}
