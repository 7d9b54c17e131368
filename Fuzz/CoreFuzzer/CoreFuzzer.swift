// libFuzzer entry point for the BenchCore readers of outside files: the plan loader (`PlanLoader.load(text:)`) and
// the seed-JSON import (`MetricsImport.json`). Built by Fuzz/run-fuzzer.sh into one module together with
// Sources/BenchCore (so internals are visible); not part of the SwiftPM package. The target is chosen with
// MMMBENCH_FUZZ_TARGET=plan|metrics (the script sets it).

import Foundation

private enum CoreFuzzTarget {
    case plan, metrics
}

private let target: CoreFuzzTarget = {
    switch ProcessInfo.processInfo.environment["MMMBENCH_FUZZ_TARGET"] {
    case "plan": return .plan
    case "metrics": return .metrics
    default: fatalError("set MMMBENCH_FUZZ_TARGET to plan or metrics")
    }
}()

/// Feeds the bytes (as UTF-8 text, invalid sequences repaired as a file reader would) to the chosen reader. Traps
/// (a finding) if it throws anything but its own typed error, or accepts input it cannot write back and read again.
@_cdecl("LLVMFuzzerTestOneInput")
public func coreFuzzerTestOneInput(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    switch target {
    case .plan: checkPlan(text)
    case .metrics: checkMetrics(text)
    }
    return 0
}

private func checkPlan(_ text: String) {
    let plan: Plan
    do {
        plan = try PlanLoader.load(text: text)
    } catch is PlanError {
        return
    } catch {
        fatalError("the plan loader threw a \(type(of: error)), not a PlanError: \(error)")
    }
    do {
        guard try Plan.fromCanonicalJSON(plan.canonicalJSON()) == plan else {
            fatalError("an accepted plan changed through its canonical JSON")
        }
    } catch {
        fatalError("an accepted plan does not read back from its canonical JSON: \(error)")
    }
    // Bounded by validation (days <= 366); expanding must not trap.
    guard plan.expandJobs().count == plan.days * plan.jobsPerDay else {
        fatalError("the job matrix has the wrong size")
    }
}

private func checkMetrics(_ text: String) {
    let metrics: [BaselineMetric]
    do {
        metrics = try MetricsImport.json(text, source: "fuzz")
    } catch {
        return  // typed throws: always a ComparisonError
    }
    do {
        let again = try MetricsImport.json(MetricsExport.seedJSON(metrics), source: "export")
        guard again.count == metrics.count else { fatalError("export and re-import changed the row count") }
    } catch {
        fatalError("imported measurements do not read back from their own export: \(error)")
    }
}
