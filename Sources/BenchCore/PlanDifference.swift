/// Names the top-level plan fields on which two plans differ, for a resume refusal an operator can act on.
public enum PlanDifference {
    public static func describe(stored: Plan, requested: Plan) -> String {
        var fields: [String] = []
        if stored.days != requested.days { fields.append("days \(stored.days) -> \(requested.days)") }
        if stored.jobs != requested.jobs { fields.append("jobs") }
        if stored.payload != requested.payload { fields.append("payload") }
        if stored.timeoutSeconds != requested.timeoutSeconds { fields.append("timeout_seconds") }
        if stored.jobGapSeconds != requested.jobGapSeconds { fields.append("job_gap_seconds") }
        if stored.dayGapSeconds != requested.dayGapSeconds { fields.append("day_gap_seconds") }
        if stored.pricing != requested.pricing { fields.append("pricing") }
        if stored.maxAttempts != requested.maxAttempts { fields.append("max_attempts") }
        if stored.maxInFlight != requested.maxInFlight { fields.append("max_in_flight") }
        if stored.checkPlan != requested.checkPlan { fields.append("checks") }
        if stored.validation != requested.validation { fields.append("validation") }
        if stored.targets != requested.targets { fields.append("targets") }
        if stored.successRule != requested.successRule { fields.append("success_rule") }
        return fields.isEmpty ? "no field differs" : "differs in: " + fields.joined(separator: ", ")
    }
}
