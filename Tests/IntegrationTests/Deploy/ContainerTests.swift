import Foundation
import Testing
import Yams

/// deploy/container: no container engine runs here, so what can be checked without one is: the runtime stage
/// installs exactly the Debian packages of the libraries the binary loads, the image is built and run the way its
/// comments say, and every command of the compose file is a valid `mmmbench` invocation.
@Suite("Deploy: container image and compose file")
struct ContainerTests {
    static let containerfilePath = "deploy/container/Containerfile"
    static let composePath = "deploy/container/compose.yaml"

    static func containerfile() throws -> Containerfile {
        Containerfile(text: try DeployTestSupport.read(containerfilePath))
    }

    static func compose() throws -> [String: Any] {
        let text = try DeployTestSupport.read(composePath)
        return try #require(try Yams.load(yaml: text) as? [String: Any], "compose.yaml is a mapping")
    }

    static func services() throws -> [String: [String: Any]] {
        let services = try #require(try compose()["services"] as? [String: Any])
        return services.compactMapValues { $0 as? [String: Any] }
    }

    @Test("the runtime stage installs exactly the Debian packages of the shared libraries ldd reports",
          .enabled(if: DeployTestSupport.toolOrCI("dpkg") && DeployTestSupport.toolOrCI("ldd"), "needs ldd and dpkg"))
    func runtimeLibraries() throws {
        try DeployTestSupport.requireTool("dpkg", installedBy: "(a Debian system)")
        let libraries = try SharedLibraries.libraries(of: ChildProcess.mmmbenchPath)
        // The Swift runtime comes from the toolchain in this debug build; the release image links it statically
        // (--static-swift-stdlib), so it needs only the system libraries, the same set either way.
        let swiftCore = try #require(libraries.first { $0.soname.hasPrefix("libswiftCore.so") },
                                     "the debug binary loads libswiftCore.so")
        let toolchainLibraries = URL(fileURLWithPath: swiftCore.path).deletingLastPathComponent().path + "/"
        var packages: [String: [String]] = [:]
        for library in libraries where !library.path.hasPrefix(toolchainLibraries) {
            let package = try #require(try SharedLibraries.debianPackage(owning: library.path),
                                       "no Debian package owns \(library.path)")
            packages[package, default: []].append(library.soname)
        }
        let stage = try #require(try Self.containerfile().stages.last)
        let declared = try #require(stage.argDefaults["RUNTIME_LIBRARIES"], "runtime stage has ARG RUNTIME_LIBRARIES")
        let declaredSet = Set(declared.split(separator: " ").map(String.init))
        let needed = Set(packages.keys)
        let detail = packages.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.joined(separator: ", "))" }
        #expect(declaredSet == needed, """
            RUNTIME_LIBRARIES differs from what the binary loads
            missing: \(needed.subtracting(declaredSet).sorted())
            not needed: \(declaredSet.subtracting(needed).sorted())
            ldd -> packages: \(detail.joined(separator: "; "))
            """)
        #expect(needed.contains("libssl3") && needed.contains("libsqlite3-0"))
    }

    @Test("the image: Swift builder, slim Debian runtime with RUNTIME_LIBRARIES only, non-root, state on a volume")
    func imageStructure() throws {
        let file = try Self.containerfile()
        #expect(file.stages.count == 2)
        let builder = try #require(file.stages.first)
        let runtime = try #require(file.stages.last)
        #expect(builder.name == "builder" && runtime.name == "runtime")
        #expect(file.resolvedBase(of: builder).hasPrefix("swift:"))
        #expect(file.resolvedBase(of: runtime) == "debian:bookworm-slim")
        let build = builder.arguments(of: "RUN").joined(separator: "\n")
        #expect(build.contains("--static-swift-stdlib"), "the runtime stage carries no Swift runtime")
        #expect(build.contains("libssl-dev") && build.contains("libsqlite3-dev"))
        // Everything the builder copies exists and is not excluded from the build context.
        let ignored = try DeployTestSupport.read(".dockerignore").split(separator: "\n").map(String.init)
        for copy in builder.arguments(of: "COPY") {
            let source = try #require(copy.split(separator: " ").first.map(String.init))
            #expect(FileManager.default.fileExists(atPath: DeployTestSupport.path(source)), "COPY \(source)")
            #expect(!ignored.contains(source), ".dockerignore excludes \(source)")
        }
        let runtimeRuns = runtime.arguments(of: "RUN").joined(separator: "\n")
        let installs = runtimeRuns.components(separatedBy: "apt-get install").dropFirst()
        #expect(installs.count == 1)
        for install in installs {
            let words = install.split(separator: " ").prefix { $0 != "&&" }.filter { !$0.hasPrefix("-") }
            #expect(words == ["${RUNTIME_LIBRARIES}"], "the runtime installs RUNTIME_LIBRARIES and nothing else")
        }
        let user = try #require(runtime.arguments(of: "USER").last)
        #expect(!["root", "0", "root:root", "0:0"].contains(user))
        #expect(runtime.arguments(of: "VOLUME").contains { $0.contains("/var/lib/mmmbench") })
        #expect(runtime.arguments(of: "COPY").contains("--from=builder /out/mmmbench /usr/local/bin/mmmbench"))
        #expect(runtime.arguments(of: "ENTRYPOINT") == ["[\"/usr/local/bin/mmmbench\"]"])
        for copy in runtime.arguments(of: "COPY") where !copy.hasPrefix("--from") {
            let source = try #require(copy.split(separator: " ").first.map(String.init))
            #expect(FileManager.default.fileExists(atPath: DeployTestSupport.path(source)), "COPY \(source)")
        }
    }

    /// The compose services that run the image's entrypoint (`mmmbench`) with a `command:` list.
    static func directCommandLines() throws -> [FoundCommandLine] {
        try services().sorted { $0.key < $1.key }.compactMap { name, service in
            guard service["entrypoint"] == nil, let command = service["command"] as? [Any] else { return nil }
            return FoundCommandLine(arguments: command.map { "\($0)" }, source: "\(composePath) service \(name)")
        }
    }

    @Test("every compose command is a valid mmmbench invocation, the certs service's script included")
    func composeCommandsAreValid() throws {
        var lines = try Self.directCommandLines()
        #expect(lines.count == 6, "trainer, coordinator, three agents, report")
        let certs = try #require(try Self.services()["certs"])
        #expect(certs["entrypoint"] as? [String] == ["/bin/sh", "-ec"])
        let script = try #require((certs["command"] as? [Any])?.first as? String)
        let recorder = try RecordingMmmbench()
        // The script as the container's shell runs it, with the stand-in mmmbench recording each call. It cds to
        // /etc/mmmbench, which this host does not have: run it from a scratch directory instead.
        let scratch = try TemporaryDirectory()
        let local = script.replacingOccurrences(of: "cd /etc/mmmbench\n", with: "cd '\(scratch.path)'\n")
        #expect(local != script)
        let run = try ToolRun.run("/bin/sh", ["-ec", local], environment: ["PATH": recorder.path])
        #expect(run.status == 0, "\(run.stderr)")
        let calls = try recorder.calls()
        #expect(calls.count == 5, "init, coordinator and three agents: \(calls)")
        lines += calls.map { FoundCommandLine(arguments: $0, source: "\(Self.composePath) service certs") }
        let failures = try CommandLineChecker.failures(lines)
        #expect(failures.isEmpty, "\(CommandLineChecker.report(failures))")
    }

    @Test("compose: issued certificates = allowed agents, SANs name the dialled host, one state volume per agent")
    func composeIsConsistent() throws {
        let services = try Self.services()
        let recorder = try RecordingMmmbench()
        let certs = try #require(services["certs"])
        let script = try #require((certs["command"] as? [Any])?.first as? String)
        let scratch = try TemporaryDirectory()
        _ = try ToolRun.run(
            "/bin/sh", ["-ec", script.replacingOccurrences(of: "cd /etc/mmmbench\n", with: "cd '\(scratch.path)'\n")],
            environment: ["PATH": recorder.path])
        let calls = try recorder.calls()
        let agentCalls = calls.filter { $0.prefix(2) == ["certs", "agent"] }
        let issuedAgents = Set(agentCalls.compactMap { Self.flag("--name", in: $0) })
        let sans = calls.first { $0.prefix(2) == ["certs", "coordinator"] }.flatMap { Self.flag("--san", in: $0) }
        let sanList = Set((sans ?? "").split(separator: ",").map(String.init))

        let coordinatorCommand = try #require(services["coordinator"]?["command"] as? [Any])
        let coordinator = coordinatorCommand.map { "\($0)" }
        let allowed = Set(zip(coordinator, coordinator.dropFirst()).filter { $0.0 == "--allow-agent" }.map(\.1))
        let agents = services.filter { ($0.value["command"] as? [Any])?.first as? String == "agent" }
        #expect(agents.count == 3)
        #expect(allowed == issuedAgents && allowed.count == 3, "allowed \(allowed), issued \(issuedAgents)")
        var stateVolumes: Set<String> = []
        for (name, service) in agents {
            let commandValues = try #require(service["command"] as? [Any])
            let command = commandValues.map { "\($0)" }
            let cert = try #require(Self.flag("--cert", in: command))
            let agentName = URL(fileURLWithPath: cert).deletingPathExtension().lastPathComponent
            #expect(issuedAgents.contains(agentName), "\(name) presents \(cert), which certs does not issue")
            let dialled = try #require(Self.flag("--coordinator", in: command)?.split(separator: ":").first)
            #expect(sanList.contains(String(dialled)), "\(name) dials \(dialled), not in the coordinator's SANs")
            let volumes = (service["volumes"] as? [Any] ?? []).map { "\($0)" }
            let state = try #require(volumes.first { $0.hasSuffix(":/var/lib/mmmbench") }, "\(name) keeps state")
            stateVolumes.insert(state)
            let outbox = try #require(Self.flag("--outbox", in: command))
            #expect(outbox.hasPrefix("/var/lib/mmmbench/"), "\(name)'s outbox is on its state volume")
        }
        #expect(stateVolumes.count == 3, "each agent has its own outbox volume: \(stateVolumes)")
    }

    static func flag(_ name: String, in arguments: [String]) -> String? {
        zip(arguments, arguments.dropFirst()).first { $0.0 == name }?.1
    }
}
