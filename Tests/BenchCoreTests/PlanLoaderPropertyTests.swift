import BenchCore
import Foundation
import PropertyBased
import Testing

/// Properties of the plan loader over generated plans (swift-property-based): a valid plan written as JSON (which
/// is YAML) loads to exactly that plan and expands to the seed's job matrix; a plan with one defect is refused
/// with a `PlanError` naming the defect's field path, never a crash or a silent default.
@Suite("Plan loader: properties over generated plans")
struct PlanLoaderPropertyTests {
    static let countryCodes = ["US", "fr", "de", "uk", "jp", "br", "in_1", "x-2", "NO", "no"]

    static let jobConfig = zip(
        Gen.lowercaseLetter.string(of: 1...8), Gen.int(in: 1...10_000), Gen.int(in: 1...100),
        Gen.shuffled(countryCodes).map { Array($0.prefix(4)) }, Gen.int(in: 1...4)
    ).map { type, iterations, trials, countries, count in
        JobConfig(type: type, iterations: iterations, trials: trials, countries: Array(countries.prefix(count)))
    }

    /// Quarter steps: exact in binary and in any JSON spelling.
    static let quarters = Gen.int(in: 0...400_000).map { Double($0) / 4 }

    static let plan = zip(
        Gen.int(in: 1...7), jobConfig.array(of: 1...4), quarters.map { $0 + 0.25 }, quarters, quarters,
        zip(quarters.map { $0 + 0.25 }, quarters.map { $0 + 0.25 }, quarters, quarters),
        Gen.int(in: 1...10), Gen.int(in: 1...256)
    ).map { days, jobs, timeout, jobGap, dayGap, prices, attempts, inFlight in
        Plan(days: days, jobs: jobs, timeoutSeconds: timeout, jobGapSeconds: jobGap, dayGapSeconds: dayGap,
             pricing: Pricing(baseVCPU: prices.0, baseMemoryGB: prices.1, vcpuHourUSD: prices.2,
                              gbHourUSD: prices.3),
             maxAttempts: attempts, maxInFlight: inFlight)
    }

    /// The plan as the JSON object a user would write (every field given).
    static func object(_ plan: Plan) -> [String: Any] {
        [
            "days": plan.days,
            "jobs": plan.jobs.map { job -> [String: Any] in
                ["type": job.type, "iterations": job.iterations, "trials": job.trials, "countries": job.countries]
            },
            "timeout_seconds": plan.timeoutSeconds, "job_gap_seconds": plan.jobGapSeconds,
            "day_gap_seconds": plan.dayGapSeconds,
            "pricing": ["base_vcpu": plan.pricing.baseVCPU, "base_memory_gb": plan.pricing.baseMemoryGB,
                        "vcpu_hour_usd": plan.pricing.vcpuHourUSD, "gb_hour_usd": plan.pricing.gbHourUSD],
            "max_attempts": plan.maxAttempts, "max_in_flight": plan.maxInFlight,
        ]
    }

    static func text(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test("a generated valid plan loads to exactly that plan and expands to days x configs x countries, in order")
    func validPlansLoad() async {
        await propertyCheck(count: 300, input: Self.plan) { plan in
            let text = try Self.text(Self.object(plan))
            let loaded = try PlanLoader.load(text: text)
            #expect(loaded == plan, "\(text)")
            #expect(try Plan.fromCanonicalJSON(loaded.canonicalJSON()) == plan)
            var expected: [String] = []
            for day in 1...plan.days {
                for (index, job) in plan.jobs.enumerated() {
                    expected += job.countries.map { "baseline-\(day)-\(index + 1)-\($0)" }
                }
            }
            let jobs = loaded.expandJobs()
            #expect(jobs.map(\.id) == expected)
            #expect(jobs.map(\.ordinal) == Array(0..<expected.count))
        }
    }

    /// One defect in an otherwise valid plan, and the field path the error must name.
    enum Defect: CaseIterable, Sendable {
        case unknownTopLevelKey, daysNotANumber, daysZero, iterationsNegative, iterationsText, countriesEmpty,
             duplicateCountry, unknownJobKey, jobTypeMissing, basePriceNegative, timeoutText, inFlightZero,
             jobsNotAList, pricingNotAMapping

        /// Applies the defect to job config `index` (modulo the number of configs); returns the expected path.
        func apply(to object: inout [String: Any], index: Int) -> String {
            var jobs = object["jobs"] as? [[String: Any]] ?? []
            let i = index % max(1, jobs.count)
            defer { if !jobs.isEmpty, object["jobs"] is [[String: Any]] { object["jobs"] = jobs } }
            switch self {
            case .unknownTopLevelKey: object["dayz"] = 3; return "dayz"
            case .daysNotANumber: object["days"] = "three"; return "days"
            case .daysZero: object["days"] = 0; return "days"
            case .iterationsNegative: jobs[i]["iterations"] = -1; return "jobs[\(i)].iterations"
            case .iterationsText: jobs[i]["iterations"] = "many"; return "jobs[\(i)].iterations"
            case .countriesEmpty: jobs[i]["countries"] = [String](); return "jobs[\(i)].countries"
            case .duplicateCountry:
                let countries = jobs[i]["countries"] as? [String] ?? []
                jobs[i]["countries"] = countries + [countries.first ?? "US"]
                return "jobs[\(i)].countries[\(countries.count)]"
            case .unknownJobKey: jobs[i]["weight"] = 2; return "jobs[\(i)].weight"
            case .jobTypeMissing: jobs[i]["type"] = nil; return "jobs[\(i)].type"
            case .basePriceNegative:
                var pricing = object["pricing"] as? [String: Any] ?? [:]
                pricing["base_vcpu"] = -4
                object["pricing"] = pricing
                return "pricing.base_vcpu"
            case .timeoutText: object["timeout_seconds"] = "soon"; return "timeout_seconds"
            case .inFlightZero: object["max_in_flight"] = 0; return "max_in_flight"
            case .jobsNotAList: object["jobs"] = "all of them"; return "jobs"
            case .pricingNotAMapping: object["pricing"] = [1, 2]; return "pricing"
            }
        }
    }

    @Test("a plan with one defect is refused with a PlanError naming the field path")
    func brokenPlansNameThePath() async {
        await propertyCheck(count: 500, input: Self.plan, Gen<Defect>.case, Gen.int(in: 0...3)) { plan, defect, index in
            var object = Self.object(plan)
            let path = defect.apply(to: &object, index: index)
            let text = try Self.text(object)
            #expect {
                try PlanLoader.load(text: text)
            } throws: { error in
                (error as? PlanError)?.path == path
            }
        }
    }

    /// Text from the characters YAML gives meaning to, and words of plans.
    static let yamlishText = Gen.element(of: [
        "days", "jobs", ":", " ", "\n", "  ", "- ", "[", "]", "{", "}", ",", "\"", "'", "1", "-1", "1e999", "0x1F",
        ".inf", ".nan", "~", "null", "true", "no", "&a", "*a", "!!str", "!!binary", "|", ">", "#", "%", "@",
        "type", "countries", "pricing", "\t", "é", "\u{0}", "<<", "? ",
    ]).array(of: 0...40).map { $0.compactMap { $0 }.joined() }

    @Test("arbitrary YAML-ish text either loads or is refused with a PlanError; nothing else")
    func arbitraryTextNeverCrashes() async {
        await propertyCheck(count: 1_000, input: Self.yamlishText) { text in
            do {
                _ = try PlanLoader.load(text: text)
            } catch is PlanError {
            } catch {
                Issue.record("\(type(of: error)) for \(text.debugDescription): \(error)")
            }
        }
    }
}
