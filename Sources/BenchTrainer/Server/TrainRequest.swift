import BenchJSON
import Foundation

/// A validated `POST /train` body: the seed's `run_single_baseline_job` payload. Unknown keys are ignored.
struct TrainRequest: Sendable, Equatable {
    var jobID: String?
    var country: String
    var iterations: Int
    var trials: Int
    var revision: String?
    var baselineTest: Bool?
    var variables: ModelVariables

    /// Upper bounds that keep one request from occupying the trainer for days.
    static let maxIterations = 100_000
    static let maxTrials = 1_000
    static let maxVariables = 64
    static let maxCountryLength = 64

    /// Validates a decoded body; the first problem is thrown, naming its field.
    init(json: JSONValue) throws(RequestValidationError) {
        guard case .object(let body) = json else {
            throw RequestValidationError(field: nil, reason: "body must be a JSON object, not \(json.typeName)")
        }
        let reader = FieldReader(body: body)
        self.country = try reader.requiredString("country", maxLength: Self.maxCountryLength)
        self.iterations = try reader.positiveInteger("iterations", max: Self.maxIterations)
        self.trials = try reader.positiveInteger("trials", max: Self.maxTrials)
        self.jobID = try reader.optionalString("job_id")
        self.revision = try reader.optionalString("revision")
        self.baselineTest = try reader.optionalBool("baseline_test")
        let defaults = ModelVariables.seedDefault
        let vars = try reader.stringList("paid_media_vars", nonEmpty: true) ?? defaults.paidMediaVars
        let spends = try reader.stringList("paid_media_spends", nonEmpty: true) ?? vars
        guard spends.count == vars.count else {
            throw RequestValidationError(
                field: "paid_media_spends",
                reason: "must have one entry per paid_media_vars entry (\(vars.count)), has \(spends.count)")
        }
        let context = try reader.stringList("context_vars") ?? defaults.contextVars
        let organic = try reader.stringList("organic_vars") ?? defaults.organicVars
        let factors = try reader.stringList("factor_vars") ?? defaults.factorVars.filter { context.contains($0) }
        for (index, factor) in factors.enumerated() where !context.contains(factor) && !organic.contains(factor) {
            throw RequestValidationError(
                field: "factor_vars[\(index)]", reason: "'\(factor)' must also be in context_vars or organic_vars")
        }
        self.variables = ModelVariables(
            paidMediaSpends: spends, paidMediaVars: vars, contextVars: context, factorVars: factors,
            organicVars: organic)
    }

    init(
        jobID: String?, country: String, iterations: Int, trials: Int, variables: ModelVariables = .seedDefault
    ) {
        self.jobID = jobID
        self.country = country
        self.iterations = iterations
        self.trials = trials
        self.revision = nil
        self.baselineTest = nil
        self.variables = variables
    }
}

/// Reads typed fields out of a JSON object, throwing errors that name the field.
struct FieldReader {
    let body: [String: JSONValue]

    func requiredString(_ field: String, maxLength: Int) throws(RequestValidationError) -> String {
        switch body[field] {
        case nil:
            throw RequestValidationError(field: field, reason: "is required")
        case .null:
            throw RequestValidationError(field: field, reason: "must not be null")
        case .string(let value):
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { throw RequestValidationError(field: field, reason: "must not be empty") }
            guard trimmed.count <= maxLength else {
                throw RequestValidationError(field: field, reason: "must be at most \(maxLength) characters")
            }
            return trimmed
        case .some(let other):
            throw RequestValidationError(field: field, reason: "must be a string, not \(other.typeName)")
        }
    }

    func positiveInteger(_ field: String, max: Int) throws(RequestValidationError) -> Int {
        let value: Int
        switch body[field] {
        case nil:
            throw RequestValidationError(field: field, reason: "is required")
        case .null:
            throw RequestValidationError(field: field, reason: "must not be null")
        case .number(let number):
            guard number.rounded(.towardZero) == number else {
                throw RequestValidationError(field: field, reason: "must be a whole number, not \(number)")
            }
            guard number <= Double(max) else {
                throw RequestValidationError(field: field, reason: "must be <= \(max), got \(number)")
            }
            guard let exact = Int(exactly: number) else {
                throw RequestValidationError(field: field, reason: "must be > 0, got \(number)")
            }
            value = exact
        case .some(let other):
            throw RequestValidationError(field: field, reason: "must be an integer, not \(other.typeName)")
        }
        guard value > 0 else { throw RequestValidationError(field: field, reason: "must be > 0, got \(value)") }
        guard value <= max else { throw RequestValidationError(field: field, reason: "must be <= \(max), got \(value)") }
        return value
    }

    func optionalString(_ field: String) throws(RequestValidationError) -> String? {
        switch body[field] {
        case nil, .null: return nil
        case .string(let value): return value
        case .some(let other):
            throw RequestValidationError(field: field, reason: "must be a string, not \(other.typeName)")
        }
    }

    func optionalBool(_ field: String) throws(RequestValidationError) -> Bool? {
        switch body[field] {
        case nil, .null: return nil
        case .bool(let value): return value
        case .some(let other):
            throw RequestValidationError(field: field, reason: "must be a boolean, not \(other.typeName)")
        }
    }

    func stringList(_ field: String, nonEmpty: Bool = false) throws(RequestValidationError) -> [String]? {
        switch body[field] {
        case nil, .null: return nil
        case .array(let items):
            guard !nonEmpty || !items.isEmpty else {
                throw RequestValidationError(field: field, reason: "must not be empty")
            }
            guard items.count <= TrainRequest.maxVariables else {
                throw RequestValidationError(field: field, reason: "must have at most \(TrainRequest.maxVariables) entries")
            }
            var names: [String] = []
            for (index, item) in items.enumerated() {
                guard case .string(let name) = item else {
                    throw RequestValidationError(
                        field: "\(field)[\(index)]", reason: "must be a string, not \(item.typeName)")
                }
                guard !name.isEmpty else {
                    throw RequestValidationError(field: "\(field)[\(index)]", reason: "must not be empty")
                }
                guard !names.contains(name) else {
                    throw RequestValidationError(field: "\(field)[\(index)]", reason: "duplicate name '\(name)'")
                }
                names.append(name)
            }
            return names
        case .some(let other):
            throw RequestValidationError(field: field, reason: "must be an array of strings, not \(other.typeName)")
        }
    }
}

/// A request body that the trainer refuses, with the field at fault (nil when the body as a whole is wrong).
struct RequestValidationError: Error, Equatable, CustomStringConvertible {
    var field: String?
    var reason: String

    var description: String { field.map { "\($0) \(reason)" } ?? reason }
}
