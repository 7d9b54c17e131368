/// What the rollback check found when it looked for the script and ran its dry run.
public struct RollbackObservation: Sendable, Equatable {
    /// What became of the script.
    public enum Result: Sendable, Equatable {
        /// Nothing at the path.
        case missing
        /// The path is a directory.
        case directory
        /// A file without execute permission for this user.
        case notExecutable
        /// The dry run ran and exited with this status.
        case exited(Int32)
        /// The dry run was ended by this signal (not by us).
        case signalled(Int32)
        /// The dry run did not finish in time and was killed.
        case timedOut
        /// The script could not be started (e.g. a bad interpreter line).
        case launchFailed(String)
    }

    /// How long a timed-out dry run gets between SIGTERM and SIGKILL.
    public static let terminationGraceSeconds = 2.0

    /// The path as configured (`checks.rollback_script`).
    public var path: String
    /// The absolute path it resolved to.
    public var resolvedPath: String
    public var result: Result
    /// The last lines of the dry run's output (stdout and stderr), for a failure's reason.
    public var outputTail: String

    public init(path: String, resolvedPath: String, result: Result, outputTail: String = "") {
        self.path = path
        self.resolvedPath = resolvedPath
        self.result = result
        self.outputTail = outputTail
    }
}

extension CheckEvaluator {
    /// `test_10_rollback_capability`: the script exists, is executable, and its dry run exits 0.
    public static func rollback(_ observation: RollbackObservation, _ settings: RollbackThresholds) -> CheckVerdict {
        let path = observation.path
        let resolved = observation.path == observation.resolvedPath ? "" : " (\(observation.resolvedPath))"
        let command = ([path] + settings.arguments).joined(separator: " ")
        let exists = observation.result != .missing
        let executable = exists && observation.result != .directory && observation.result != .notExecutable
        var measurements = [
            CheckMeasurement(name: "script_exists", measured: exists ? "yes" : "no", threshold: "yes", met: exists),
        ]
        if exists {
            measurements.append(CheckMeasurement(
                name: "executable", measured: executable ? "yes" : "no", threshold: "yes", met: executable))
        }
        let tail = observation.outputTail.isEmpty ? "" : "; its output ends with:\n" + observation.outputTail
        switch observation.result {
        case .missing:
            return .judged(measurements, problems: [
                "Rollback script not found: \(path)\(resolved). Install it there or set checks.rollback_script "
                    + "(relative paths are resolved from the working directory of the process running the check)",
            ])
        case .directory:
            return .judged(measurements, problems: ["Rollback script \(path)\(resolved) is a directory, not a script"])
        case .notExecutable:
            return .judged(measurements, problems: [
                "Rollback script not executable: \(path)\(resolved); run chmod +x \(path)",
            ])
        case .exited(let status):
            measurements.append(CheckMeasurement(
                name: "dry_run_exit_status", measured: String(status), value: Double(status), threshold: "= 0",
                met: status == 0))
            guard status != 0 else { return .judged(measurements, problems: []) }
            return .judged(measurements, problems: [
                "Rollback dry-run failed: `\(command)` exited with status \(status)\(tail)",
            ])
        case .signalled(let signal):
            measurements.append(CheckMeasurement(
                name: "dry_run_exit_status", measured: "signal \(signal)", threshold: "= 0", met: false))
            return .judged(measurements, problems: [
                "Rollback dry-run failed: `\(command)` was killed by signal \(signal)\(tail)",
            ])
        case .timedOut:
            return .error(
                "`\(command)` did not finish within \(formatted(settings.timeoutSeconds, 1)) s and was killed; a dry "
                    + "run must not wait for input or the network for that long\(tail)", measurements)
        case .launchFailed(let why):
            return .error("`\(command)` could not be started: \(why)", measurements)
        }
    }
}
