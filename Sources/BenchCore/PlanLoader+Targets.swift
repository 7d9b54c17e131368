import Foundation
import Yams

/// Reads the plan's `targets` section: exactly the keys `baseline` and `candidate`, each an absolute `http` or
/// `https` URL with a host (docs/plan.md, "A/B collections").
extension PlanNodeReader {
    static func targets(_ node: Node, path: String) throws -> PlanTargets? {
        let fields = try mapping(node, path: path, allowed: PlanTargets.CodingKeys.allCases.map(\.rawValue))
        var urls: [PlanTargets.CodingKeys: String] = [:]
        for (key, value) in fields {
            guard let side = PlanTargets.CodingKeys(rawValue: key) else { continue }
            let keyPath = "\(path).\(key)"
            urls[side] = try trainerURL(try string(value, path: keyPath), path: keyPath)
        }
        for side in PlanTargets.CodingKeys.allCases where urls[side] == nil {
            throw PlanError(path: "\(path).\(side.rawValue)", reason: "is required (a plan with targets names both)")
        }
        guard let baseline = urls[.baseline], let candidate = urls[.candidate] else { return nil }
        return PlanTargets(baseline: baseline, candidate: candidate)
    }

    /// An absolute `http(s)://host[:port][/path]` URL without query or fragment, returned as written.
    static func trainerURL(_ text: String, path: String) throws(PlanError) -> String {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
              components.query == nil, components.fragment == nil, components.user == nil
        else {
            throw PlanError(path: path, reason: "expected an http or https URL with a host (http://host:port), "
                + "got '\(text)'")
        }
        return text
    }
}
