import Foundation
import Testing
import Yams

/// Schema validation of Kubernetes manifests with `kubernetes-validate` (PyPI; it ships the Kubernetes OpenAPI
/// schemas and works offline), installed by scripts/ci-setup.d/30-kubernetes-validate.sh.
enum KubernetesValidator {
    static let tool = "kubernetes-validate"
    static let setupScript = "scripts/ci-setup.d/30-kubernetes-validate.sh"

    /// Whether python3 can import it (run as `python3 -m kubernetes_validate`, so PATH need not hold pip's scripts).
    static let installed: Bool = {
        (try? ToolRun.run("python3", ["-c", "import kubernetes_validate"], timeout: .seconds(60)).status) == 0
    }()

    /// Run the test when the validator is installed, or in CI (where its absence fails the test).
    static var installedOrCI: Bool { installed || DeployTestSupport.isCI }

    /// Fails the test, naming the setup script, when the validator is missing.
    static func require() throws {
        try #require(installed, "kubernetes-validate is missing: run \(setupScript) (CI runs it before swift test)")
    }

    struct Verdict {
        let status: Int32
        let output: String
        /// Valid against a known schema: exit 0 and no warning (an unknown kind is only a warning for the tool).
        var isValid: Bool { status == 0 && !output.contains("WARN") && !output.contains("ERROR") }
    }

    /// Validates a file strictly (unknown fields are errors).
    static func validate(file: String) throws -> Verdict {
        let run = try ToolRun.run("python3", ["-m", "kubernetes_validate", "--strict", file], timeout: .seconds(120))
        return Verdict(status: run.status, output: run.stdout + run.stderr)
    }

    /// Validates a manifest given as a YAML value (written to a temporary file first).
    static func validate(manifest: [String: Any], name: String) throws -> Verdict {
        let dir = try TemporaryDirectory()
        let path = dir.file("\(name).yaml")
        try Yams.dump(object: manifest).write(toFile: path, atomically: true, encoding: .utf8)
        return try validate(file: path)
    }
}

/// Reading YAML manifests as plain dictionaries, and walking into them.
enum Manifest {
    static func load(_ relative: String) throws -> [String: Any] {
        let text = try DeployTestSupport.read(relative)
        guard let object = try Yams.load(yaml: text) as? [String: Any] else {
            throw IntegrationError("\(relative) is not a YAML mapping")
        }
        return object
    }

    /// The value at a dotted path of mapping keys and list indices, e.g. `spec.template.spec.containers.0`.
    static func value(_ object: Any, _ path: String) -> Any? {
        var current: Any? = object
        for key in path.split(separator: ".") {
            if let index = Int(key), let list = current as? [Any] {
                current = list.indices.contains(index) ? list[index] : nil
            } else {
                current = (current as? [String: Any])?[String(key)]
            }
        }
        return current
    }

    static func string(_ object: Any, _ path: String) -> String? { value(object, path).map { "\($0)" } }

    static func list(_ object: Any, _ path: String) -> [Any] { value(object, path) as? [Any] ?? [] }

    static func strings(_ object: Any, _ path: String) -> [String] { list(object, path).map { "\($0)" } }
}
