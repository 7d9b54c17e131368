import BenchCore
import Foundation
import Testing

@Suite("Cost model")
struct CostModelTests {
    /// (iterations, trials, duration minutes) -> (cpu_hours, memory_gb_hours, cost), each expected value computed by
    /// the seed's own Python functions (`estimate_cpu_hours`, `estimate_memory_hours`, `estimate_cost`).
    static let seedTable: [(Int, Int, Double, Double, Double, Double)] = [
        (50, 2, 12.5, 0.84, 3.33, 0.0871),
        (75, 3, 0.0, 0.0, 0.0, 0.0),
        (150, 4, 33.3333, 2.36, 8.89, 0.241),
        (200, 5, 45.0, 3.3, 12.0, 0.3336),
        (300, 7, 61.7, 4.98, 16.45, 0.4902),
        (400, 8, 119.99, 10.56, 32.0, 1.0163),
        (50, 2, 0.0123, 0.0, 0.0, 0.0),
        (400, 8, 0.75, 0.07, 0.2, 0.0066),
        (1, 1, 1.0, 0.07, 0.27, 0.0072),
        (150, 4, 7.5, 0.53, 2.0, 0.0542),
    ]

    @Test("equals the seed's formulas, rounding included")
    func seedFormulas() {
        let model = CostModel()
        for (iterations, trials, minutes, cpu, memory, cost) in Self.seedTable {
            let c = model.cpuHours(iterations: iterations, trials: trials, durationMinutes: minutes)
            let m = model.memoryGBHours(durationMinutes: minutes)
            #expect(c == cpu, "cpu \(iterations)x\(trials) \(minutes) min")
            #expect(m == memory, "memory \(minutes) min")
            #expect(model.cost(cpuHours: c, memoryGBHours: m) == cost, "cost \(c) \(m)")
        }
    }

    @Test("pricing from the plan changes the estimates")
    func customPricing() {
        let model = CostModel(pricing: Pricing(baseVCPU: 8, baseMemoryGB: 32, vcpuHourUSD: 0.1, gbHourUSD: 0.01))
        #expect(model.cpuHours(iterations: 1000, trials: 1, durationMinutes: 60) == 8.8)
        #expect(model.memoryGBHours(durationMinutes: 30) == 16)
        #expect(model.cost(cpuHours: 8.8, memoryGBHours: 16) == 1.04)
    }

    @Test("rounding is Python's: exact binary value, ties to even")
    func pythonRounding() {
        #expect(PythonRounding.round(0.125, places: 2) == 0.12)
        #expect(PythonRounding.round(2.675, places: 2) == 2.67)
        #expect(PythonRounding.round(0.3449999, places: 2) == 0.34)
        #expect(PythonRounding.round(1.005, places: 2) == 1.0)
        #expect(PythonRounding.format(85.0, places: 1) == "85.0")
    }

    @Test("format and round write exactly what String(format:) writes, for values of every magnitude and sign")
    func formatMatchesFoundation() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 0.5, 1.5, 2.5, -2.5, 1e300, -1.7976931348623157e308, .leastNonzeroMagnitude, 123456.785,
                                .greatestFiniteMagnitude]
        for _ in 0..<2_000 {
            let magnitude = Double.random(in: -12...20, using: &generator)
            values.append(Double.random(in: -1...1, using: &generator) * pow(10, magnitude))
        }
        for value in values {
            for places in [0, 1, 2, 4, 6, 17] {
                let expected = String(format: "%.\(places)f", value)
                #expect(PythonRounding.format(value, places: places) == expected, "\(value) to \(places) places")
                #expect(PythonRounding.round(value, places: places) == Double(expected), "\(value) to \(places)")
            }
        }
    }
}
