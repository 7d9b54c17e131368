import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Point-in-time resource figures of this process, read from the kernel.
enum ProcessResources {
    /// User + system CPU seconds consumed by the whole process (`getrusage(RUSAGE_SELF)`).
    static func cpuSeconds() -> Double {
        var usage = rusage()
        guard getrusage(Self.selfWho, &usage) == 0 else { return 0 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Peak resident set size in MiB (`ru_maxrss`: KiB on Linux, bytes on Darwin).
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        guard getrusage(Self.selfWho, &usage) == 0 else { return 0 }
        #if canImport(Darwin)
        return Double(usage.ru_maxrss) / 1_048_576
        #else
        return Double(usage.ru_maxrss) / 1_024
        #endif
    }

    /// Current resident set size in bytes: `/proc/self/statm` (resident pages × page size) where it exists,
    /// otherwise the peak RSS.
    static func residentBytes() -> Double {
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
            let fields = statm.split(separator: " ")
            if fields.count > 1, let pages = Double(fields[1]) {
                return pages * Double(sysconf(Int32(_SC_PAGESIZE)))
            }
        }
        return peakResidentMegabytes() * 1_048_576
    }

    /// Physical memory of the machine in bytes: `MemTotal` of `/proc/meminfo` where it exists, otherwise
    /// Foundation's figure.
    static func physicalMemoryBytes() -> Double {
        if let meminfo = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) {
            for line in meminfo.split(separator: "\n") where line.hasPrefix("MemTotal:") {
                let fields = line.split(separator: " ")
                if fields.count >= 2, let kibibytes = Double(fields[1]) { return kibibytes * 1_024 }
            }
        }
        return Double(ProcessInfo.processInfo.physicalMemory)
    }

    /// Cores this process may run on.
    static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    #if os(Linux)
    private static let selfWho = __rusage_who_t(RUSAGE_SELF.rawValue)
    #else
    private static let selfWho = RUSAGE_SELF
    #endif

    private static func seconds(_ value: timeval) -> Double {
        Double(value.tv_sec) + Double(value.tv_usec) / 1e6
    }
}
