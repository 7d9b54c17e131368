#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind a pthread mutex, for the modules without swift-nio (the others use NIOConcurrencyHelpers'
/// `NIOLockedValueBox`, the same kind of lock).
///
/// Not `Synchronization.Mutex`: on Linux that locks with a futex inside the uninstrumented Swift runtime, so
/// ThreadSanitizer does not see the lock and reports every access it protects as a race. TSan intercepts
/// `pthread_mutex_lock`, so state behind this box is checked rather than suppressed (docs/reliability.md,
/// "Sanitizers"; scripts/sanitizers/tsan-mutex-repro.sh shows the difference).
public final class PThreadLockedValue<Value>: @unchecked Sendable {
    // @unchecked: `value` is only read or written between `pthread_mutex_lock` and `pthread_mutex_unlock`.
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    /// A box holding `initialValue`.
    public init(_ initialValue: Value) {
        value = initialValue
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed with \(status)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with the value while holding the lock; `body` may change it. Do not call back into this box
    /// from `body` (the mutex is not recursive).
    public func withLock<Result, Failure: Error>(
        _ body: (inout Value) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
