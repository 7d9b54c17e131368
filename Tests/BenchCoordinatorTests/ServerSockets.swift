import Foundation
import TestTiming

/// The file descriptors of this process that are TCP sockets bound to a local `port`: a listener on that port and
/// every connection it accepted (clients of the port have an ephemeral local port and are not counted). Read from
/// `/proc/self/fd` and `/proc/net/tcp{,6}`, so tests running in parallel in the same process do not disturb it.
enum ServerSockets {
    /// Whether `/proc` can answer (Linux).
    static var available: Bool { FileManager.default.fileExists(atPath: "/proc/net/tcp") }

    /// How many descriptors of this process are sockets with local port `port`.
    static func count(port: Int) -> Int {
        let inodes = socketInodes(localPort: port)
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return fds.count { fd in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)"),
                  target.hasPrefix("socket:["), target.hasSuffix("]")
            else { return false }
            return inodes.contains(String(target.dropFirst("socket:[".count).dropLast()))
        }
    }

    /// The socket table lines of `port`, for a failure message.
    static func describe(port: Int) -> String {
        let hexPort = String(format: ":%04X", port)
        let lines = ["/proc/net/tcp", "/proc/net/tcp6"].flatMap { table in
            read(table).split(separator: "\n")
                .filter { $0.contains(hexPort) }.map(String.init)
        }
        return "inodes \(socketInodes(localPort: port).sorted()), sockets:\n" + lines.joined(separator: "\n")
    }

    /// Waits (polling, bounded by `seconds`) until `count(port:)` is at most `expected`; returns the last count.
    static func waitUntil(port: Int, atMost expected: Int, seconds: Double = 60) async -> Int {
        let deadline = ContinuousClock.now + .seconds(TestTiming.seconds(seconds))
        var current = count(port: port)
        while current > expected, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
            current = count(port: port)
        }
        return current
    }

    /// The whole of a `/proc` file (its size is reported as 0, so it is read until EOF).
    private static func read(_ path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        return String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
    }

    /// Inodes (decimal text) of the TCP sockets whose local port is `localPort`, from `/proc/net/tcp` and `tcp6`.
    private static func socketInodes(localPort: Int) -> Set<String> {
        let hexPort = String(format: ":%04X", localPort)
        var inodes = Set<String>()
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            for line in read(table).split(separator: "\n").dropFirst() {
                let columns = line.split(separator: " ", omittingEmptySubsequences: true)
                guard columns.count > 9, columns[1].hasSuffix(hexPort), columns[9] != "0" else { continue }
                inodes.insert(String(columns[9]))
            }
        }
        return inodes
    }
}
