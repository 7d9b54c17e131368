#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU time consumed by the calling thread (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`).
enum ThreadCPUClock {
    /// Seconds of CPU time the current thread has used so far, or nil if the clock is unavailable.
    static func now() -> Double? {
        var spec = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec) == 0 else { return nil }
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
