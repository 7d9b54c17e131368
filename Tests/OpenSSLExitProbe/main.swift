// Tests only: a process that still uses OpenSSL after the exit handlers registered after its own, the way an event
// loop thread can still be closing a TLS connection while `main` returns. OpenSSL's own exit-time cleanup
// (`OPENSSL_cleanup`, registered with `atexit` at its first use unless told otherwise) frees the state that call
// needs; the call then crashes or fails. mmmbench initializes OpenSSL without that cleanup (COpenSSLLifetime), and
// `OpenSSLExitTests` runs this probe to prove it.
//
//   openssl-exit-probe DIRECTORY
//
// Registers its exit handler first (so it runs last), creates a CA in DIRECTORY (OpenSSL's first use in this
// process), returns from main; the handler then issues a client certificate from that CA and prints
// `issued after exit: <path>`. Exit status 0 only if that worked.
import BenchTLS
import Foundation

guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: openssl-exit-probe DIRECTORY\n".utf8))
    exit(2)
}

atexit {
    let directory = CommandLine.arguments[1]
    do {
        let files = try CertificateAuthority(directory: directory).issueClientCertificate(agentName: "late-agent")
        FileHandle.standardOutput.write(Data("issued after exit: \(files.certificatePath)\n".utf8))
    } catch {
        FileHandle.standardError.write(Data("openssl-exit-probe: OpenSSL failed after exit: \(error)\n".utf8))
        _exit(1)
    }
}

do {
    try CertificateAuthority.create(in: CommandLine.arguments[1])
    FileHandle.standardOutput.write(Data("kept until exit: \(OpenSSLLifetime.keptUntilExit)\n".utf8))
} catch {
    FileHandle.standardError.write(Data("openssl-exit-probe: \(error)\n".utf8))
    exit(1)
}
