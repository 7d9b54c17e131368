import BenchCore
import BenchStore
import Foundation

/// The topology operators run, timed from outside: a real `mmmbench coordinator` process and real `mmmbench agent`
/// processes (the executables next to this one: build both with `-c release`), mutual TLS on loopback, a one-day plan
/// of `jobs` jobs with no gaps, and a fixed-200 HTTP endpoint in this process as the trainer (like nginx answering
/// `POST /train`). The figure is jobs per second from the coordinator's start to its exit (it exits once every result
/// is committed, synchronous=FULL, and every agent is drained), with the CPU seconds each process used.
enum ProcessesBenchmark {
    /// What one run measured.
    struct Report {
        let jobs: Int
        /// Coordinator start to coordinator exit.
        let seconds: Double
        /// First trainer call started to last trainer call ended, from the stored measurements.
        let resultSpanSeconds: Double
        /// Coordinator start to its "listening" line (plan load, collection made, TLS set up).
        let listeningSeconds: Double
        /// Coordinator start to the first trainer call's start (also the agents' start, connect and hello).
        let firstResultSeconds: Double
        let coordinatorCPUSeconds: Double
        let agentCPUSeconds: [Double]
        /// This process (the fixed-200 endpoint) during the run.
        let endpointCPUSeconds: Double
        var jobsPerSecond: Double { Double(jobs) / seconds }
        var resultJobsPerSecond: Double { resultSpanSeconds > 0 ? Double(jobs) / resultSpanSeconds : 0 }
        /// The last trainer call's end to the coordinator's exit (drain, the final reports, closing).
        var afterLastResultSeconds: Double { seconds - firstResultSeconds - resultSpanSeconds }
    }

    /// One collection; `dispatchOnly` starts the agents with `--no-trainer`.
    static func run(jobs: Int, agents: Int, slots: Int, dispatchOnly: Bool, executable: String) async throws -> Report {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmmbench-processes-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certs = directory + "/certs"
        let names = (1...agents).map { "agent-\($0)" }
        try await runToEnd(executable, ["certs", "init", "--dir", certs], directory: directory)
        try await runToEnd(executable, ["certs", "coordinator", "--dir", certs, "--san", "127.0.0.1"], directory: directory)
        for name in names { try await runToEnd(executable, ["certs", "agent", "--dir", certs, "--name", name],
                                               directory: directory) }
        let countries = (0..<jobs).map { String(format: "c%06d", $0) }.joined(separator: ", ")
        let plan = """
            days: 1
            job_gap_seconds: 0
            day_gap_seconds: 0
            max_in_flight: \(agents * slots)
            jobs: [{type: bench, iterations: 1, trials: 1, countries: [\(countries)]}]

            """
        try plan.write(toFile: directory + "/plan.yaml", atomically: true, encoding: .utf8)

        let endpoint = try await FixedResponseServer.start()
        let cpuBefore = ownCPUSeconds()
        let started = ContinuousClock.now
        let startedAt = Date()
        let coordinator = try SpawnedProcess(executable: executable, arguments: [
            "coordinator", "--listen", "127.0.0.1:0", "--db", directory + "/bench.sqlite", "--plan", directory + "/plan.yaml",
            "--cert", certs + "/coordinator.pem", "--key", certs + "/coordinator-key.pem", "--ca", certs + "/ca.pem",
            "--report-dir", directory + "/reports", "--log-level", "notice",
        ], logPath: directory + "/coordinator.log")
        var scanner = CoordinatorLogScanner(path: coordinator.logPath)
        let listenDeadline = ContinuousClock.now + .seconds(60)
        while scanner.listeningPort == nil, !coordinator.hasExited, ContinuousClock.now < listenDeadline {
            try await Task.sleep(for: .milliseconds(2))
            scanner.poll()
        }
        let listening = (ContinuousClock.now - started).seconds
        guard let port = scanner.listeningPort else {
            await coordinator.stop(grace: .seconds(5))
            await endpoint.stop()
            throw BenchmarkFailure("the coordinator did not listen (\(coordinator.exitDescription)):\n"
                                   + scanner.lastLines.joined(separator: "\n"))
        }
        var agentProcesses: [SpawnedProcess] = []
        for name in names {
            var arguments = ["agent", "--coordinator", "127.0.0.1:\(port)", "--cert", "\(certs)/\(name).pem",
                             "--key", "\(certs)/\(name)-key.pem", "--ca", certs + "/ca.pem", "--slots", "\(slots)",
                             "--outbox", "\(directory)/\(name).outbox", "--log-level", "notice"]
            arguments += dispatchOnly ? ["--no-trainer"] : ["--trainer-url", "http://127.0.0.1:\(endpoint.port)"]
            agentProcesses.append(try SpawnedProcess(executable: executable, arguments: arguments,
                                                     logPath: "\(directory)/\(name).log"))
        }
        let finished = await coordinator.waitForExit(timeout: .seconds(3_600))
        let seconds = (ContinuousClock.now - started).seconds
        let endpointCPU = ownCPUSeconds() - cpuBefore
        for agent in agentProcesses where !(await agent.waitForExit(timeout: .seconds(30))) {
            await agent.stop(grace: .seconds(5))
        }
        await endpoint.stop()
        guard finished, coordinator.exitDescription == "exit 0" else {
            if !finished { await coordinator.stop(grace: .seconds(5)) }
            scanner.poll()
            throw BenchmarkFailure("the coordinator ended with \(coordinator.exitDescription):\n"
                                   + scanner.lastLines.joined(separator: "\n"))
        }
        let store = try BenchStore(path: directory + "/bench.sqlite")
        guard let collection = try store.currentCollection() else { throw BenchmarkFailure("no collection stored") }
        let metrics = try store.countedMetrics(collectionID: collection.id)
        guard metrics.count == jobs, metrics.allSatisfy(\.success) else {
            throw BenchmarkFailure("\(metrics.count) results of \(jobs), \(metrics.filter { !$0.success }.count) "
                                   + "failed: the figure would count failures")
        }
        let first = metrics.map(\.timestamp.timeIntervalSince1970).min() ?? 0
        let last = metrics.map { $0.timestamp.timeIntervalSince1970 + $0.durationMs / 1_000 }.max() ?? 0
        return Report(jobs: jobs, seconds: seconds, resultSpanSeconds: last - first, listeningSeconds: listening,
                      firstResultSeconds: first - startedAt.timeIntervalSince1970,
                      coordinatorCPUSeconds: coordinator.cpuSeconds ?? 0,
                      agentCPUSeconds: agentProcesses.map { $0.cpuSeconds ?? 0 }, endpointCPUSeconds: endpointCPU)
    }

    /// Runs a short command (the certificates) to its end; throws with its log when it fails.
    static func runToEnd(_ executable: String, _ arguments: [String], directory: String) async throws {
        let log = directory + "/setup.log"
        let process = try SpawnedProcess(executable: executable, arguments: arguments, logPath: log)
        guard await process.waitForExit(timeout: .seconds(60)), process.exitDescription == "exit 0" else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw BenchmarkFailure("mmmbench \(arguments.joined(separator: " ")): \(process.exitDescription)\n\(output)")
        }
    }

    /// User plus system CPU seconds this process has used.
    static func ownCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}

extension Duration {
    /// The duration in seconds, as a double.
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
