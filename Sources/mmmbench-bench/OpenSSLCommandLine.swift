import Foundation
import NIOCore
import NIOPosix
import Subprocess

/// Runs the `openssl` command line tools that ``TLSBenchmark`` compares against: `s_server` and `s_time -new`.
enum OpenSSLCommandLine {
    struct Identity {
        let certificate: String
        let key: String
        let trustRoots: String
    }

    struct CommandError: Error, CustomStringConvertible {
        let reason: String
        var description: String { "openssl: \(reason)" }
    }

    /// `openssl` on PATH, or nil.
    static let path: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/openssl" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// `openssl s_time -new` against a fresh `openssl s_server -www` (mutual TLS, same certificates).
    ///
    /// Both start through swift-subprocess, which resets the child's signal mask: a `Process` started from a
    /// cooperative-pool thread inherited that thread's blocked SIGTERM, so s_server could only be stopped by SIGKILL.
    static func sTimeAgainstSServer(openssl: String, server: Identity, client: Identity, seconds: Int)
        async throws -> String
    {
        // s_server's stdout is block-buffered into a pipe, so its "ACCEPT host:port" line cannot be awaited;
        // give it a port that was free a moment ago and wait until it accepts connections.
        let port = try await freePort()
        let arguments: Arguments = [
            "s_server", "-accept", "127.0.0.1:\(port)", "-cert", server.certificate, "-key", server.key,
            "-CAfile", server.trustRoots, "-Verify", "1", "-verify_return_error", "-www", "-no_ticket", "-quiet",
        ]
        let outcome = try await Subprocess.run(
            .path(.init(openssl)), arguments: arguments, input: .none, output: .discarded, error: .discarded
        ) { execution in
            let result: Result<String, any Error>
            do {
                try await waitUntilAccepting(port: port)
                result = .success(try await sTime(openssl: openssl, port: port, client: client, seconds: seconds))
            } catch {
                result = .failure(error)
            }
            try? execution.send(signal: .terminate)
            return result
        }
        return try outcome.closureResult.get()
    }

    /// A TCP port on 127.0.0.1 that the kernel just handed out and that is free again.
    private static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        guard port > 0 else { throw CommandError(reason: "could not find a free port") }
        return port
    }

    /// Connects (plain TCP) until the port accepts, for at most about 5 seconds.
    private static func waitUntilAccepting(port: Int) async throws {
        for _ in 0..<250 {
            if let channel = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port).get()
            {
                try? await channel.close()
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw CommandError(reason: "s_server did not start listening on port \(port)")
    }

    /// `openssl s_time -new` against `127.0.0.1:port`: full handshakes, one at a time, for `seconds`.
    ///
    /// s_time prints its wall time in whole seconds only, so the rate divides its connection count by the wall
    /// time measured here around the process (which includes its start-up, a few milliseconds).
    static func sTime(openssl: String, port: Int, client: Identity, seconds: Int) async throws -> String {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await Subprocess.run(
            .path(.init(openssl)),
            arguments: [
                "s_time", "-connect", "127.0.0.1:\(port)", "-new", "-time", "\(seconds)",
                "-cert", client.certificate, "-key", client.key, "-CAfile", client.trustRoots,
            ],
            output: .string(limit: 1 << 20), error: .discarded)
        let elapsed = clock.now - start
        let text = result.standardOutput
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        // "1201 connections in 1.05s; 1143.81 connections/user sec, bytes read 0"
        guard let line = text.split(separator: "\n").first(where: { $0.contains("connections/user sec") }),
              let connections = line.split(separator: " ").first.flatMap({ Double($0) }), wall > 0
        else { throw CommandError(reason: "unexpected s_time output: \(text.suffix(300))") }
        let perUserSecond = line.split(separator: ";").last?.split(separator: ",").first?
            .trimmingCharacters(in: .whitespaces) ?? "?"
        return "\(Int(connections)) in \(TLSBenchmark.format(wall, 2)) s = "
            + "\(TLSBenchmark.format(connections / wall, 0))/s (s_time client alone: \(perUserSecond))"
    }
}
