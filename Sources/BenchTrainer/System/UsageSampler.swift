import NIOConcurrencyHelpers

/// Samples the process's CPU time in the background so `/health` can report CPU usage over a recent window.
///
/// Every `interval` it records (monotonic instant, process CPU seconds) and keeps the last `window` samples.
/// `cpuPercent()` is the CPU time used between the oldest kept sample and now, divided by the elapsed wall time
/// and the number of cores: 100 means every core was busy with this process for the whole window.
final class UsageSampler: Sendable {
    private struct Sample {
        var instant: ContinuousClock.Instant
        var cpuSeconds: Double
    }

    private let interval: Duration
    private let window: Int
    private let samples: NIOLockedValueBox<[Sample]>
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(interval: Duration = .seconds(1), window: Int = 5) {
        self.interval = interval
        self.window = max(window, 1)
        self.samples = NIOLockedValueBox([Sample(instant: .now, cpuSeconds: ProcessResources.cpuSeconds())])
    }

    /// Starts the background sampling task (once).
    func start() {
        task.withLockedValue { task in
            guard task == nil else { return }
            task = Task { [interval] in
                while !Task.isCancelled {
                    do { try await Task.sleep(for: interval) } catch { return }
                    self.record()
                }
            }
        }
    }

    /// Stops sampling.
    func stop() {
        let running = task.withLockedValue { task in
            defer { task = nil }
            return task
        }
        running?.cancel()
    }

    /// Process CPU usage over the recent window, in percent of all cores (0...100).
    func cpuPercent() -> Double {
        let now = Sample(instant: .now, cpuSeconds: ProcessResources.cpuSeconds())
        let oldest = samples.withLockedValue { $0.first } ?? now
        let elapsed = oldest.instant.duration(to: now.instant)
        let wallSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        guard wallSeconds > 0 else { return 0 }
        let percent = (now.cpuSeconds - oldest.cpuSeconds) / (wallSeconds * Double(ProcessResources.cores)) * 100
        return min(max(percent, 0), 100)
    }

    /// Resident memory in percent of physical memory.
    func memoryPercent() -> Double {
        let total = ProcessResources.physicalMemoryBytes()
        guard total > 0 else { return 0 }
        return ProcessResources.residentBytes() / total * 100
    }

    private func record() {
        let sample = Sample(instant: .now, cpuSeconds: ProcessResources.cpuSeconds())
        samples.withLockedValue { samples in
            samples.append(sample)
            if samples.count > window { samples.removeFirst(samples.count - window) }
        }
    }
}
