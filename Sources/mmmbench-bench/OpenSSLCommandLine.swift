import Foundation

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

    /// `openssl s_time -new` against a fresh `openssl s_server` (mutual TLS, same certificates).
    static func sTimeAgainstSServer(openssl: String, server: Identity, client: Identity, seconds: Int)
        async throws -> String
    {
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = [
            "s_server", "-accept", "127.0.0.1:0", "-cert", server.certificate, "-key", server.key,
            "-CAfile", server.trustRoots, "-Verify", "1", "-verify_return_error", "-quiet", "-no_ticket",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let port = try await acceptedPort(from: output.fileHandleForReading)
        return try await sTime(openssl: openssl, port: port, client: client, seconds: seconds)
    }

    /// `openssl s_time -new` against `127.0.0.1:port`: full handshakes, one at a time, for `seconds`.
    static func sTime(openssl: String, port: Int, client: Identity, seconds: Int) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = [
            "s_time", "-connect", "127.0.0.1:\(port)", "-new", "-time", "\(seconds)",
            "-cert", client.certificate, "-key", client.key, "-CAfile", client.trustRoots,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = await readToEnd(output.fileHandleForReading)
        process.waitUntilExit()
        // "1234 connections in 5.01 real seconds, 0 bytes read per connection"
        guard let line = text.split(separator: "\n").first(where: { $0.contains("real seconds") }) else {
            throw CommandError(reason: "unexpected s_time output: \(text.prefix(300))")
        }
        let words = line.split(separator: " ")
        guard let connections = words.first.flatMap({ Double($0) }),
              let index = words.firstIndex(of: "in"), words.index(after: index) < words.endIndex,
              let elapsed = Double(words[words.index(after: index)]), elapsed > 0
        else { throw CommandError(reason: "cannot parse s_time line: \(line)") }
        return "\(Int(connections)) in \(TLSBenchmark.format(elapsed, 2)) s = "
            + "\(TLSBenchmark.format(connections / elapsed, 0))/s"
    }

    /// Reads s_server's stdout until its `ACCEPT 127.0.0.1:PORT` line, then keeps draining it in the background
    /// (a full pipe would stall the server).
    private static func acceptedPort(from handle: FileHandle) async throws -> Int {
        let port: Int? = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var pending = ""
                var resumed = false
                while true {
                    let data = handle.availableData
                    if data.isEmpty { break }
                    guard !resumed else { continue }
                    pending += String(decoding: data, as: UTF8.self)
                    if let line = pending.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT") }),
                       let port = line.split(separator: ":").last.flatMap({ Int($0) })
                    {
                        resumed = true
                        continuation.resume(returning: port)
                    }
                }
                if !resumed { continuation.resume(returning: nil) }
            }
        }
        guard let port else { throw CommandError(reason: "s_server did not report its port") }
        return port
    }

    private static func readToEnd(_ handle: FileHandle) async -> String {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let data = (try? handle.readToEnd()) ?? Data()
                continuation.resume(returning: String(decoding: data, as: UTF8.self))
            }
        }
    }
}
