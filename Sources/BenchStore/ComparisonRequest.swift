import BenchCore
import Foundation

/// What `mmmbench compare` was asked, turned into a ``ComparisonInput``: the sides loaded, the targets resolved
/// (the seed's, then the plan's `validation:` section, then `--target` flags, then `--confidence`).
public struct ComparisonRequest: Sendable, Equatable {
    /// BASELINE argument, or the A/B database when `candidate` is nil.
    public var baseline: String
    public var candidate: String?
    public var planPath: String?
    /// `--target` values, e.g. `duration=-40%`.
    public var targetFlags: [String]
    public var confidence: Double?
    public var unpaired: Bool

    public init(baseline: String, candidate: String?, planPath: String? = nil, targetFlags: [String] = [],
                confidence: Double? = nil, unpaired: Bool = false)
    {
        self.baseline = baseline
        self.candidate = candidate
        self.planPath = planPath
        self.targetFlags = targetFlags
        self.confidence = confidence
        self.unpaired = unpaired
    }

    /// The targets: seed defaults, overridden by the plan, the flags and the confidence option.
    public func targets() throws(ComparisonError) -> ComparisonTargets {
        var targets = ComparisonTargets.seedDefaults
        if let planPath {
            do {
                targets = try PlanLoader.load(fileAt: planPath).validation ?? targets
            } catch {
                throw ComparisonError(.usage, "plan \(planPath): \(error)")
            }
        }
        for flag in targetFlags { try targets.apply(flag: flag) }
        if let confidence { targets.confidence = try ComparisonTargets.checkedConfidence(confidence) }
        return targets
    }

    /// Loads the sides and resolves the targets.
    public func input() throws(ComparisonError) -> ComparisonInput {
        let targets = try targets()
        let first = try ComparisonSourceLoader.load(baseline)
        guard let candidate else {
            guard Comparison.isABCollection(first.metrics) else {
                throw ComparisonError(.usage, "\(first.label) is not an A/B collection (no measurement has a "
                    + "target): give a BASELINE and a CANDIDATE")
            }
            let sides = try Comparison.abSides(metrics: first.metrics, label: first.label)
            return ComparisonInput(baseline: sides.baseline, candidate: sides.candidate, targets: targets,
                                   fromABCollection: true, forceIndependent: unpaired)
        }
        let second = try ComparisonSourceLoader.load(candidate)
        for side in [first, second] where Comparison.isABCollection(side.metrics) {
            throw ComparisonError(.usage, "\(side.label) holds an A/B collection (measurements of both targets): "
                + "compare it alone, `mmmbench compare \(side.label)`")
        }
        return ComparisonInput(
            baseline: ComparisonSide(label: first.label, metrics: first.metrics),
            candidate: ComparisonSide(label: second.label, metrics: second.metrics), targets: targets,
            forceIndependent: unpaired)
    }
}

/// Writes `comparison.md`, `comparison.json`, `comparison.junit.xml` and `comparison.html` into a directory.
public enum ComparisonOutputWriter {
    /// The paths written.
    public static func write(_ result: ComparisonReport, to directory: String) throws(ComparisonError) -> [String] {
        let files = [
            ("comparison.md", ComparisonMarkdown.render(result)),
            ("comparison.json", ComparisonJSON.render(result)),
            ("comparison.junit.xml", ComparisonJUnit.render(result)),
            (ComparisonHTML.fileName, ComparisonHTML.render(result)),
        ]
        var written: [String] = []
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for (name, text) in files {
                let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
                try text.write(toFile: path, atomically: true, encoding: .utf8)
                written.append(path)
            }
        } catch {
            throw ComparisonError(.unreadable, "cannot write the comparison into \(directory): "
                + error.localizedDescription)
        }
        return written
    }
}
