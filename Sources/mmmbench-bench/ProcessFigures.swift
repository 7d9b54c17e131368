import Foundation

/// Memory and CPU time of one process, read from `/proc/<pid>/status` and `/proc/<pid>/stat` (Linux).
struct ProcessFigures: Sendable {
    /// Resident set size now (`VmRSS`), KiB.
    let residentKiB: Int
    /// Peak resident set size so far (`VmHWM`), KiB.
    let peakResidentKiB: Int
    /// Anonymous resident memory (`RssAnon`: heap, stacks, TLS buffers), KiB; 0 if the kernel does not say.
    let anonymousKiB: Int
    /// Threads of the process.
    let threads: Int
    /// User plus system CPU time consumed so far, seconds.
    let cpuSeconds: Double

    /// Reads the figures of `pid`.
    /// - Throws: ``IdleAgentsError`` `.measurement` when `/proc` has no such process or an unexpected format.
    static func read(pid: pid_t) throws(IdleAgentsError) -> ProcessFigures {
        let operation = "read /proc/\(pid)"
        func fail(_ reason: String) -> IdleAgentsError {
            IdleAgentsError(kind: .measurement, operation: operation, reason: reason)
        }
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        else { throw fail("the process is gone or /proc is not readable") }
        var fields: [String: Int] = [:]
        for line in status.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2,
                  let number = parts[1].split(whereSeparator: \.isWhitespace).first.flatMap({ Int($0) })
            else { continue }
            fields[String(parts[0])] = number
        }
        guard let resident = fields["VmRSS"], let peak = fields["VmHWM"] else {
            throw fail("no VmRSS/VmHWM in /proc/\(pid)/status")
        }
        // stat: "pid (comm) state ..." where comm may contain spaces; utime and stime are fields 14 and 15,
        // i.e. the 12th and 13th after the closing parenthesis.
        guard let close = stat.lastIndex(of: ")") else { throw fail("unexpected /proc/\(pid)/stat") }
        let rest = stat[stat.index(after: close)...].split(separator: " ")
        guard rest.count > 12, let user = Double(rest[11]), let system = Double(rest[12]) else {
            throw fail("unexpected /proc/\(pid)/stat")
        }
        let ticks = Double(max(1, sysconf(Int32(_SC_CLK_TCK))))
        return ProcessFigures(
            residentKiB: resident, peakResidentKiB: peak, anonymousKiB: fields["RssAnon"] ?? 0,
            threads: fields["Threads"] ?? 0, cpuSeconds: (user + system) / ticks)
    }

    /// `VmRSS 12.3 MiB (peak 14.0 MiB, anonymous 8.1 MiB), N threads`.
    var summary: String {
        String(format: "VmRSS %.1f MiB (VmHWM %.1f MiB, RssAnon %.1f MiB), %d threads",
               Double(residentKiB) / 1024, Double(peakResidentKiB) / 1024, Double(anonymousKiB) / 1024, threads)
    }
}
