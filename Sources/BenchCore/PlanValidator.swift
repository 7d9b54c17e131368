/// Range and consistency checks of a `Plan`, each failure naming the field path.
enum PlanValidator {
    static func validate(_ plan: Plan) throws {
        try positive(plan.days, "days")
        if plan.days > 366 { throw PlanError(path: "days", reason: "must be <= 366") }
        if plan.jobs.isEmpty { throw PlanError(path: "jobs", reason: "must list at least one job config") }
        for (index, job) in plan.jobs.enumerated() {
            let path = "jobs[\(index)]"
            if job.type.trimmingWhitespace().isEmpty {
                throw PlanError(path: "\(path).type", reason: "must not be empty")
            }
            try validateLabels(job.labels, path: "\(path).labels")
            try positive(job.iterations, "\(path).iterations")
            try positive(job.trials, "\(path).trials")
            if job.countries.isEmpty {
                throw PlanError(path: "\(path).countries", reason: "must list at least one country")
            }
            // The path is spelled only for an error: a plan can list tens of thousands of countries.
            var countries = Set<String>(minimumCapacity: job.countries.count)
            for (countryIndex, country) in job.countries.enumerated() {
                guard !country.isEmpty, country.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
                else {
                    throw PlanError(path: "\(path).countries[\(countryIndex)]",
                                    reason: "must be a non-empty code of letters, digits, '-' or '_'")
                }
                guard countries.insert(country).inserted else {
                    throw PlanError(path: "\(path).countries[\(countryIndex)]",
                                    reason: "duplicate country '\(country)' in this job config")
                }
            }
        }
        try positive(plan.timeoutSeconds, "timeout_seconds")
        try nonNegative(plan.jobGapSeconds, "job_gap_seconds")
        try nonNegative(plan.dayGapSeconds, "day_gap_seconds")
        try positive(plan.pricing.baseVCPU, "pricing.base_vcpu")
        try positive(plan.pricing.baseMemoryGB, "pricing.base_memory_gb")
        try nonNegative(plan.pricing.vcpuHourUSD, "pricing.vcpu_hour_usd")
        try nonNegative(plan.pricing.gbHourUSD, "pricing.gb_hour_usd")
        try positive(plan.maxAttempts, "max_attempts")
        try positive(plan.maxInFlight, "max_in_flight")
        if plan.payload.paidMediaVars.isEmpty {
            throw PlanError(path: "payload.paid_media_vars", reason: "must list at least one channel")
        }
    }

    /// Label names: 1-63 characters of letters, digits, `-`, `_`, `.`, `/`. Values: 1-253 characters, no control
    /// characters (the same rules agents' `--labels k=v` follow, so a plan can always name what an agent carries).
    static func validateLabels(_ labels: [String: String], path: String) throws {
        for (name, value) in labels.sorted(by: { $0.key < $1.key }) {
            let nameScalarsOK = name.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || "-_./".unicodeScalars.contains(scalar))
            }
            guard (1...63).contains(name.count), nameScalarsOK else {
                throw PlanError(path: "\(path).\(name)",
                                reason: "label names are 1-63 characters of letters, digits, '-', '_', '.' or '/'")
            }
            let hasControl = value.unicodeScalars.contains { $0.properties.generalCategory == .control }
            guard (1...253).contains(value.count), !hasControl else {
                throw PlanError(path: "\(path).\(name)",
                                reason: "label values are 1-253 characters without control characters")
            }
        }
    }

    static func positive(_ value: Int, _ path: String) throws {
        if value <= 0 { throw PlanError(path: path, reason: "must be > 0") }
    }

    static func positive(_ value: Double, _ path: String) throws {
        if !(value > 0) { throw PlanError(path: path, reason: "must be > 0") }
    }

    static func nonNegative(_ value: Double, _ path: String) throws {
        if !(value >= 0) { throw PlanError(path: path, reason: "must be >= 0") }
    }
}

extension String {
    func trimmingWhitespace() -> Substring {
        var slice = self[...]
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return slice
    }
}
