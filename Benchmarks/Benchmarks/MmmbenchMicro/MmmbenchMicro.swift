import BenchCore
import BenchStore
import BenchProtocol
import BenchWire
import Benchmark
import Foundation
import NIOCore

/// mmmbench's micro-benchmarks (scripts/bench-micro): the store's result commit and read-back, the report's
/// aggregation, the wire codec. Names have no spaces or slashes: package-benchmark 1.38.1 writes a threshold file
/// with those replaced by `_` but looks it up by the raw name, so a name with a space is never found by `--check`. Thresholds (Thresholds/) are on malloc counts: this machine's VM exposes no
/// hardware instruction counter (`perf stat -e instructions` says "not supported"), and wall-clock figures on a
/// shared 2-core machine are printed, never checked.
let benchmarks: @Sendable () -> Void = {
    let checked: [BenchmarkMetric] = [.mallocCountTotal]
    let printed: [BenchmarkMetric] = [.wallClock, .cpuTotal, .peakMemoryResident]
    Benchmark.defaultConfiguration = .init(
        metrics: checked + printed, timeUnits: .microseconds, warmupIterations: 1,
        maxDuration: .seconds(5), maxIterations: 20,
        thresholds: [.mallocCountTotal: .init(relative: [.p50: 5])]
    )

    Benchmark("store.commit-1000-results-synchronous-FULL-batches-of-100") { benchmark in
        for _ in benchmark.scaledIterations {
            let database = MicroFixtures.temporaryDatabase()
            defer { MicroFixtures.remove(database) }
            let store = try BenchStore(path: database)
            let plan = MicroFixtures.plan(results: 1_000)
            let collection = try store.openCollection(plan: plan, forceNew: true, now: MicroFixtures.start).collection
            benchmark.startMeasurement()
            try MicroFixtures.commitResults(store: store, collectionID: collection.id, plan: plan, count: 1_000)
            benchmark.stopMeasurement()
            store.close()
        }
    }

    Benchmark("store.read-10000-counted-results-for-the-report") { benchmark in
        let database = MicroFixtures.temporaryDatabase()
        defer { MicroFixtures.remove(database) }
        let store = try BenchStore(path: database)
        defer { store.close() }
        let plan = MicroFixtures.plan(results: 10_000)
        let collection = try store.openCollection(plan: plan, forceNew: true, now: MicroFixtures.start).collection
        try MicroFixtures.commitResults(store: store, collectionID: collection.id, plan: plan, count: 10_000)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try store.countedMetrics(collectionID: collection.id))
        }
    }

    Benchmark("report.aggregate-and-render-markdown-of-10000-results") { benchmark in
        let report = BaselineReport(metrics: MicroFixtures.metrics(count: 10_000), plannedJobs: 10_000)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(report.render())
        }
    }

    Benchmark("report.json-and-csv-exports-of-10000-results") { benchmark in
        let metrics = MicroFixtures.metrics(count: 10_000)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(MetricsExport.seedJSON(metrics))
            blackHole(MetricsExport.csv(metrics))
        }
    }

    Benchmark("codec.encode-1000-result-frames", configuration: .init(maxIterations: 50)) { benchmark in
        let codec = WireCodec()
        let message = MicroFixtures.resultMessage
        var frame = ByteBufferAllocator().buffer(capacity: 1_024)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for _ in 0..<1_000 {
                frame.clear()
                try codec.encodeFrame(message, into: &frame)
            }
            blackHole(frame)
        }
    }

    Benchmark("codec.decode-1000-result-frames", configuration: .init(maxIterations: 50)) { benchmark in
        let codec = WireCodec()
        var frame = ByteBufferAllocator().buffer(capacity: 1_024)
        try codec.encodeFrame(MicroFixtures.resultMessage, into: &frame)
        // The body is the frame after its 4-byte length prefix.
        let body = frame.getSlice(at: 4, length: frame.readableBytes - 4) ?? frame
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for _ in 0..<1_000 {
                blackHole(try codec.decode(body: body))
            }
        }
    }
}
