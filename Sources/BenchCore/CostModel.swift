import Foundation

/// The seed's resource and cost estimates (`estimate_cpu_hours`, `estimate_memory_hours`, `estimate_cost`),
/// including its rounding, with prices from the plan.
public struct CostModel: Sendable, Equatable {
    public var pricing: Pricing

    public init(pricing: Pricing = Pricing()) {
        self.pricing = pricing
    }

    /// `(duration/60) * base_cpu * (1 + (iterations*trials/1000) * 0.1)`, rounded to 2 places.
    public func cpuHours(iterations: Int, trials: Int, durationMinutes: Double) -> Double {
        let complexity = Double(iterations * trials) / 1000
        let hours = (durationMinutes / 60) * pricing.baseVCPU * (1 + complexity * 0.1)
        return PythonRounding.round(hours, places: 2)
    }

    /// `(duration/60) * base_memory_gb`, rounded to 2 places.
    public func memoryGBHours(durationMinutes: Double) -> Double {
        PythonRounding.round((durationMinutes / 60) * pricing.baseMemoryGB, places: 2)
    }

    /// `cpu_hours * $/vCPU-h + memory_gb_hours * $/GB-h`, rounded to 4 places.
    public func cost(cpuHours: Double, memoryGBHours: Double) -> Double {
        PythonRounding.round(cpuHours * pricing.vcpuHourUSD + memoryGBHours * pricing.gbHourUSD, places: 4)
    }
}

/// Python's `round(x, n)`: rounds the exact binary value, ties to even — as `printf("%.nf")` does in glibc.
public enum PythonRounding {
    public static func round(_ value: Double, places: Int) -> Double {
        guard value.isFinite else { return value }
        return Double(fixed(value, places: places)) ?? value
    }

    /// Formats like Python's `f"{x:.nf}"` (same rounding as `round`).
    public static func format(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        // Python prints -0.0 as "-0.0"; keep glibc's output, which agrees.
        return fixed(value, places: places)
    }

    /// glibc's `printf("%.nf")` of a finite value, written into a stack buffer: the text Foundation's
    /// `String(format:)` produces (it calls the same `snprintf`), without its format parsing and allocations (it was
    /// 5 % of an agent's CPU, four calls per measurement).
    private static func fixed(_ value: Double, places: Int) -> String {
        let capacity = 400
        let text = withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { buffer -> String? in
            guard let base = buffer.baseAddress, (0...60).contains(places) else { return nil }
            let written = withVaList([Int32(places), value]) { vsnprintf(base, capacity, "%.*f", $0) }
            guard written > 0, written < capacity else { return nil }
            return String(cString: base)
        }
        return text ?? String(format: "%.\(places)f", value)
    }
}
