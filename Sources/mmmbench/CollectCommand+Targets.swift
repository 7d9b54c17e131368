import ArgumentParser
import BenchCore

extension CollectCommand {
    /// The trainer of the collection: `--trainer-url` for a one-target plan (required), none for a plan with
    /// `targets` (each side's URL is in the plan; a `--trainer-url` as well would be ambiguous, so it is refused).
    static func trainerURL(_ flag: String?, plan: Plan) throws -> String {
        switch (flag, plan.targets) {
        case (let url?, nil):
            return url
        case (nil, let targets?):
            return targets.baseline
        case (nil, nil):
            throw ValidationError("--trainer-url is required (or a plan whose targets name the trainers)")
        case (_?, _?):
            throw ValidationError("--trainer-url cannot be combined with a plan that names targets "
                + "(the plan's targets.baseline and targets.candidate are the trainers)")
        }
    }
}
