// ThreadSanitizer cannot see `Synchronization.Mutex` on Linux: a minimal proof.
//
// One thread appends to an array, the main thread reads its count; every access is inside the lock, so there is no
// data race. With `Mutex` (locked through a futex inside the uninstrumented Swift runtime) TSan reports a "Swift
// access race" on nearly every run; with `NSLock` (a pthread mutex, which TSan intercepts) it reports nothing.
// Run by scripts/sanitizers/tsan-mutex-repro.sh.
import Foundation
import Synchronization

final class Guarded: Sendable {
    let mutex = Mutex<[String]>([])
}

let guarded = Guarded()
let lock = NSLock()
let useNSLock = CommandLine.arguments.contains("nslock")
nonisolated(unsafe) var underNSLock: [String] = []

let writer = Thread {
    for index in 0..<20_000 {
        if useNSLock {
            lock.lock(); underNSLock.append("\(index)"); lock.unlock()
        } else {
            guarded.mutex.withLock { $0.append("\(index)") }
        }
    }
}
writer.start()
var reads = 0
while !writer.isFinished {
    if useNSLock {
        lock.lock(); reads += underNSLock.count; lock.unlock()
    } else {
        reads += guarded.mutex.withLock { $0.count }
    }
}
print("done (\(useNSLock ? "NSLock" : "Mutex"))")
