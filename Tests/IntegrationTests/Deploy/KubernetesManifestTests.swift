import BenchCore
import Foundation
import Testing
import Yams

/// deploy/kubernetes: core manifests against the Kubernetes schemas (kubernetes-validate, offline), the kustomize
/// base's resource list (and its rendering, where kubectl is installed), the Argo Rollouts resources by their
/// required fields (their CRD schemas are not in the core set; the pod and Job specs inside them are validated by
/// wrapping them in core objects), and every `mmmbench` invocation by the binary's own parser.
@Suite("Deploy: Kubernetes manifests")
struct KubernetesManifestTests {
    static let base = "deploy/kubernetes/base"
    static let coreFiles = [
        "deploy/kubernetes/base/plan-configmap.yaml", "deploy/kubernetes/base/coordinator-service.yaml",
        "deploy/kubernetes/base/coordinator-statefulset.yaml", "deploy/kubernetes/base/agent-service.yaml",
        "deploy/kubernetes/base/agent-statefulset.yaml", "deploy/kubernetes/jobs/report-job.yaml",
        "deploy/kubernetes/canary/canary-plan-configmap.yaml",
    ]
    static let analysisTemplate = "deploy/kubernetes/canary/analysis-template.yaml"
    static let rollout = "deploy/kubernetes/canary/rollout-example.yaml"

    @Test("every YAML file under deploy/kubernetes is one of the files these tests check")
    func everyFileIsChecked() throws {
        let root = DeployTestSupport.path("deploy/kubernetes")
        let found = try #require(FileManager.default.subpaths(atPath: root))
            .filter { $0.hasSuffix(".yaml") }.map { "deploy/kubernetes/\($0)" }
        let checked = Set(Self.coreFiles + [Self.analysisTemplate, Self.rollout, "\(Self.base)/kustomization.yaml"])
        #expect(Set(found) == checked, "unchecked: \(Set(found).subtracting(checked).sorted())")
    }

    @Test("the core manifests validate strictly against the Kubernetes schemas",
          .enabled(if: KubernetesValidator.installedOrCI, "needs kubernetes-validate (PyPI)"))
    func coreManifestsValidate() throws {
        try KubernetesValidator.require()
        for file in Self.coreFiles {
            var manifest = try Manifest.load(file)
            // `kubectl create` names a generateName object; the schema checker wants a name: give it one.
            if var metadata = manifest["metadata"] as? [String: Any], metadata["name"] == nil,
               let prefix = metadata["generateName"] as? String {
                metadata["name"] = prefix + "x1"
                manifest["metadata"] = metadata
                let verdict = try KubernetesValidator.validate(manifest: manifest, name: "named")
                #expect(verdict.isValid, "\(file) (named):\n\(verdict.output)")
                continue
            }
            let verdict = try KubernetesValidator.validate(file: DeployTestSupport.path(file))
            #expect(verdict.isValid, "\(file):\n\(verdict.output)")
        }
    }

    @Test("the validator refuses a broken manifest (wrong type, unknown field), so the check above can fail",
          .enabled(if: KubernetesValidator.installedOrCI, "needs kubernetes-validate (PyPI)"))
    func validatorRefusesBrokenManifests() throws {
        try KubernetesValidator.require()
        var statefulSet = try Manifest.load("\(Self.base)/agent-statefulset.yaml")
        var spec = try #require(statefulSet["spec"] as? [String: Any])
        spec["replicas"] = "three"
        statefulSet["spec"] = spec
        #expect(!(try KubernetesValidator.validate(manifest: statefulSet, name: "replicas")).isValid)
        spec["replicas"] = 3
        spec["replica"] = 3
        statefulSet["spec"] = spec
        #expect(!(try KubernetesValidator.validate(manifest: statefulSet, name: "unknown-field")).isValid)
    }

    @Test("the kustomization lists exactly the manifests of its directory, and each exists")
    func kustomizationResources() throws {
        let kustomization = try Manifest.load("\(Self.base)/kustomization.yaml")
        let resources = Manifest.strings(kustomization, "resources")
        let files = try FileManager.default.contentsOfDirectory(atPath: DeployTestSupport.path(Self.base))
            .filter { $0.hasSuffix(".yaml") && $0 != "kustomization.yaml" }
        #expect(Set(resources) == Set(files), "resources \(resources.sorted()) vs files \(files.sorted())")
        #expect(resources.count == Set(resources).count, "a resource is listed twice")
        #expect(Manifest.string(kustomization, "namespace") == "mmmbench")
        let image = try #require(Manifest.list(kustomization, "images").first)
        #expect(Manifest.string(image, "name") == "mmmbench")
    }

    @Test("kubectl kustomize renders the base into valid manifests with the namespace and image applied",
          .enabled(if: ToolRun.available("kubectl"), "kubectl (with its built-in kustomize) is not installed"),
          .enabled(if: KubernetesValidator.installedOrCI, "needs kubernetes-validate (PyPI)"))
    func renderedBaseValidates() throws {
        try KubernetesValidator.require()
        let render = try ToolRun.run("kubectl", ["kustomize", DeployTestSupport.path(Self.base)])
        #expect(render.status == 0, "\(render.stderr)")
        let dir = try TemporaryDirectory()
        try render.stdout.write(toFile: dir.file("rendered.yaml"), atomically: true, encoding: .utf8)
        let verdict = try KubernetesValidator.validate(file: dir.file("rendered.yaml"))
        #expect(verdict.isValid, "\(verdict.output)")
        let documents = try Yams.load_all(yaml: render.stdout).compactMap { $0 as? [String: Any] }
        #expect(documents.count == 5)
        for document in documents {
            #expect(Manifest.string(document, "metadata.namespace") == "mmmbench")
            let labels = Manifest.value(document, "metadata.labels") as? [String: Any]
            #expect(labels?["app.kubernetes.io/part-of"] as? String == "mmmbench")
        }
        #expect(render.stdout.contains("image: localhost/mmmbench:latest"))
        #expect(!render.stdout.contains("image: mmmbench\n"))
    }

    @Test("the Argo AnalysisTemplate: required fields, declared args, a Job spec valid as a batch/v1 Job")
    func analysisTemplate() throws {
        let template = try Manifest.load(Self.analysisTemplate)
        #expect(Manifest.string(template, "apiVersion") == "argoproj.io/v1alpha1")
        #expect(Manifest.string(template, "kind") == "AnalysisTemplate")
        #expect(Manifest.string(template, "metadata.name") == "mmmbench-canary-gate")
        let metrics = Manifest.list(template, "spec.metrics")
        #expect(metrics.count == 1)
        let metric = try #require(metrics.first)
        #expect(Manifest.string(metric, "name") != nil)
        #expect(Manifest.string(metric, "failureLimit") == "0")
        let jobSpec = try #require(Manifest.value(metric, "provider.job.spec") as? [String: Any])
        #expect(Manifest.string(jobSpec, "backoffLimit") == "0", "a failed gate is not retried")
        #expect(Manifest.string(jobSpec, "template.spec.restartPolicy") == "Never")
        // Every {{args.X}} used is declared.
        let declared = Set(Manifest.list(template, "spec.args").compactMap { Manifest.string($0, "name") })
        let text = try DeployTestSupport.read(Self.analysisTemplate)
        let used = Self.argumentReferences(in: text)
        #expect(!used.isEmpty && used.isSubset(of: declared), "used \(used.sorted()), declared \(declared.sorted())")
        if KubernetesValidator.installedOrCI {
            try KubernetesValidator.require()
            let job: [String: Any] = [
                "apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": "mmmbench-canary"], "spec": jobSpec,
            ]
            let verdict = try KubernetesValidator.validate(manifest: job, name: "analysis-job")
            #expect(verdict.isValid, "the AnalysisTemplate's job spec as a Job:\n\(verdict.output)")
        }
    }

    @Test("the example Rollout: gates at 20, 50 and 100 %, each passing every required arg; its pod template valid")
    func rolloutExample() throws {
        let rollout = try Manifest.load(Self.rollout)
        #expect(Manifest.string(rollout, "apiVersion") == "argoproj.io/v1alpha1")
        #expect(Manifest.string(rollout, "kind") == "Rollout")
        let steps = Manifest.list(rollout, "spec.strategy.canary.steps")
        let weights = steps.compactMap { Manifest.string($0, "setWeight") }
        #expect(weights == ["20", "50", "100"])
        let template = try Manifest.load(Self.analysisTemplate)
        let required = Set(Manifest.list(template, "spec.args").filter { Manifest.value($0, "value") == nil }
            .compactMap { Manifest.string($0, "name") })
        for (index, step) in steps.enumerated() where Manifest.value(step, "setWeight") != nil {
            let next = try #require(steps.indices.contains(index + 1) ? steps[index + 1] : nil,
                                    "setWeight \(Manifest.string(step, "setWeight") ?? "") is followed by a gate")
            #expect(Manifest.string(next, "analysis.templates.0.templateName") == "mmmbench-canary-gate")
            let passed = Set(Manifest.list(next, "analysis.args").compactMap { Manifest.string($0, "name") })
            #expect(required.isSubset(of: passed), "missing args \(required.subtracting(passed).sorted())")
            #expect(Self.analysisArgs(next)["weight"] == Manifest.string(step, "setWeight"))
        }
        #expect(Manifest.value(rollout, "spec.selector") != nil && Manifest.value(rollout, "spec.template") != nil)
        if KubernetesValidator.installedOrCI {
            try KubernetesValidator.require()
            let deployment: [String: Any] = [
                "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "mmm-trainer"],
                "spec": ["selector": Manifest.value(rollout, "spec.selector") as Any,
                         "template": Manifest.value(rollout, "spec.template") as Any],
            ]
            let verdict = try KubernetesValidator.validate(manifest: deployment, name: "rollout-pods")
            #expect(verdict.isValid, "the Rollout's pod template as a Deployment:\n\(verdict.output)")
        }
    }

    @Test("the plans in the ConfigMaps load as plans")
    func plansLoad() throws {
        for (file, key) in [("\(Self.base)/plan-configmap.yaml", "plan.yaml"),
                            ("deploy/kubernetes/canary/canary-plan-configmap.yaml", "canary.yaml")] {
            let data = try #require(Manifest.value(try Manifest.load(file), "data") as? [String: Any])
            let text = try #require(data[key] as? String, "\(file) data.\(key)")
            let plan = try PlanLoader.load(text: text, sourceName: file)
            #expect(!plan.expandJobs().isEmpty)
        }
    }

    @Test("coordinator, agents and report Job run valid mmmbench invocations (Kubernetes' $(VAR) expanded)")
    func commandLinesAreValid() throws {
        let failures = try CommandLineChecker.failures(try Self.coreCommandLines())
        #expect(failures.isEmpty, "\(CommandLineChecker.report(failures))")
    }

    @Test("the canary gate's Job runs a valid mmmbench canary invocation at every step of the example Rollout")
    func canaryCommandLinesAreValid() throws {
        let lines = try Self.canaryCommandLines()
        #expect(lines.count == 3)
        let failures = try CommandLineChecker.failures(lines)
        #expect(failures.isEmpty, "\(CommandLineChecker.report(failures))")
    }

    // MARK: - Command lines in the manifests

    /// The containers' args of the core workloads, with `$(AGENT_NAME)` expanded as Kubernetes does for the first
    /// agent pod.
    static func coreCommandLines() throws -> [FoundCommandLine] {
        var lines: [FoundCommandLine] = []
        let workloads = ["\(base)/coordinator-statefulset.yaml", "\(base)/agent-statefulset.yaml",
                         "deploy/kubernetes/jobs/report-job.yaml"]
        for file in workloads {
            let manifest = try Manifest.load(file)
            for container in Manifest.list(manifest, "spec.template.spec.containers") {
                let env = Self.downwardEnvironment(container, podName: "mmmbench-agent-0")
                let args = Manifest.strings(container, "args").map { Self.expandKubernetesReferences($0, env) }
                let name = Manifest.string(container, "name") ?? "?"
                lines.append(FoundCommandLine(arguments: args, source: "\(file) container \(name)"))
            }
        }
        #expect(lines.count == 3)
        return lines
    }

    /// The AnalysisTemplate's args with `{{args.X}}` replaced by each gate step's values (and the defaults).
    static func canaryCommandLines() throws -> [FoundCommandLine] {
        let template = try Manifest.load(analysisTemplate)
        let container = try #require(Manifest.value(
            template, "spec.metrics.0.provider.job.spec.template.spec.containers.0"))
        var defaults: [String: String] = [:]
        for arg in Manifest.list(template, "spec.args") {
            if let name = Manifest.string(arg, "name"), let value = Manifest.string(arg, "value") {
                defaults[name] = value
            }
        }
        let steps = Manifest.list(try Manifest.load(rollout), "spec.strategy.canary.steps")
        return steps.filter { Manifest.value($0, "analysis") != nil }.map { step in
            let values = defaults.merging(analysisArgs(step)) { _, new in new }
            let args = Manifest.strings(container, "args").map { argument in
                values.reduce(argument) { $0.replacingOccurrences(of: "{{args.\($1.key)}}", with: $1.value) }
            }
            return FoundCommandLine(arguments: args, source: "\(analysisTemplate) at weight \(values["weight"] ?? "?")")
        }
    }

    static func analysisArgs(_ step: Any) -> [String: String] {
        var values: [String: String] = [:]
        for arg in Manifest.list(step, "analysis.args") {
            if let name = Manifest.string(arg, "name"), let value = Manifest.string(arg, "value") {
                values[name] = value
            }
        }
        return values
    }

    /// Env vars of a container whose value comes from the pod's name (the downward API), as they would be set.
    static func downwardEnvironment(_ container: Any, podName: String) -> [String: String] {
        var env: [String: String] = [:]
        for variable in Manifest.list(container, "env") {
            guard let name = Manifest.string(variable, "name") else { continue }
            if let value = Manifest.string(variable, "value") {
                env[name] = value
            } else if Manifest.string(variable, "valueFrom.fieldRef.fieldPath") == "metadata.name" {
                env[name] = podName
            }
        }
        return env
    }

    /// Kubernetes' `$(VAR)` expansion in args (an unknown reference stays as written, as Kubernetes leaves it).
    static func expandKubernetesReferences(_ text: String, _ env: [String: String]) -> String {
        env.reduce(text) { $0.replacingOccurrences(of: "$(\($1.key))", with: $1.value) }
    }

    /// The `X` of every `{{args.X}}` in a text.
    static func argumentReferences(in text: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(text)
        while let start = rest.range(of: "{{args.") {
            guard let end = rest[start.upperBound...].range(of: "}}") else { break }
            names.insert(String(rest[start.upperBound..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        return names
    }
}
