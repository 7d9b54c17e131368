import BenchCore
import Foundation

/// A small collection for the HTML report's tests: three job types over two countries and two days, a duration
/// outlier, failed measurements and an expired attempt whose job was re-dispatched, with hostile strings where the
/// database holds text (error messages, agent names, countries).
enum HTMLReportFixture {
    static let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    static let hostileError = "<script>alert('pwned')</script> & \"quoted\""
    static let hostileAgent = "agent\"><img src=x onerror=alert(1)>"

    struct Job {
        let type: String
        let country: String
        let seconds: Double
        let success: Bool
        let day: Int
    }

    /// 5 small, 6 medium (one a duration outlier), 3 large; two failures; countries `fr` and `<b>de</b>`.
    static let jobs: [Job] = [
        Job(type: "small", country: "fr", seconds: 0.40, success: true, day: 1),
        Job(type: "small", country: "<b>de</b>", seconds: 0.42, success: true, day: 1),
        Job(type: "small", country: "fr", seconds: 0.41, success: true, day: 1),
        Job(type: "small", country: "fr", seconds: 0.43, success: true, day: 2),
        Job(type: "small", country: "<b>de</b>", seconds: 0.44, success: false, day: 2),
        Job(type: "medium", country: "fr", seconds: 0.80, success: true, day: 1),
        Job(type: "medium", country: "fr", seconds: 0.82, success: true, day: 1),
        Job(type: "medium", country: "<b>de</b>", seconds: 0.81, success: true, day: 1),
        Job(type: "medium", country: "fr", seconds: 0.79, success: true, day: 2),
        Job(type: "medium", country: "fr", seconds: 0.83, success: true, day: 2),
        Job(type: "medium", country: "<b>de</b>", seconds: 9.00, success: true, day: 2),
        Job(type: "large", country: "fr", seconds: 1.60, success: true, day: 1),
        Job(type: "large", country: "<b>de</b>", seconds: 1.70, success: false, day: 2),
        Job(type: "large", country: "fr", seconds: 1.65, success: true, day: 2),
    ]

    /// Index of the job whose first attempt expired on the hostile agent and ran again as attempt 2.
    static let redispatchedJob = 2

    static func spec(_ index: Int) -> JobSpec {
        let job = jobs[index]
        return JobSpec(id: "baseline-\(job.day)-\(index + 1)-\(job.country)", ordinal: index, day: job.day,
                       configIndex: index + 1, country: job.country, jobType: job.type,
                       iterations: job.type == "large" ? 400 : 50, trials: 2)
    }

    /// Start of a job: jobs of a day 2 s apart, day 2 four hours after day 1.
    static func startTime(_ index: Int) -> Date {
        let job = jobs[index]
        return start.addingTimeInterval(Double(job.day - 1) * 14_400 + Double(index) * 12)
    }

    static func metrics() -> [BaselineMetric] {
        jobs.indices.map { index in
            let job = jobs[index]
            let attempt = index == redispatchedJob ? 2 : 1
            let agent = index % 2 == 0 ? "agent-1" : "agent-2"
            return job.success
                ? .success(job: spec(index), startedAt: startTime(index), durationMs: job.seconds * 1000,
                           httpStatus: 200, attempt: attempt, agent: agent, costModel: CostModel())
                : .failure(job: spec(index), startedAt: startTime(index), durationMs: job.seconds * 1000,
                           httpStatus: 500, attempt: attempt, agent: agent, error: hostileError)
        }
    }

    /// One attempt per job, plus the expired first attempt of the re-dispatched job: 15 attempts.
    static func attempts() -> [AttemptSpan] {
        var spans: [AttemptSpan] = []
        for index in jobs.indices {
            let job = jobs[index]
            let begin = startTime(index)
            if index == redispatchedJob {
                spans.append(AttemptSpan(jobID: spec(index).id, attempt: 1, agent: hostileAgent, jobType: job.type,
                                         day: job.day, start: begin.addingTimeInterval(-6),
                                         end: begin.addingTimeInterval(-1), outcome: .expired))
            }
            spans.append(AttemptSpan(
                jobID: spec(index).id, attempt: index == redispatchedJob ? 2 : 1,
                agent: index % 2 == 0 ? "agent-1" : "agent-2", jobType: job.type, day: job.day, start: begin,
                end: begin.addingTimeInterval(job.seconds), outcome: job.success ? .succeeded : .failed))
        }
        return spans
    }

    static func input(testSuites: [TestSuiteReport] = []) -> HTMLReportInput {
        HTMLReportInput(
            collectionID: "c-<fixture>", plan: Plan(days: 2), createdAt: start, completedAt: nil,
            report: BaselineReport(metrics: metrics(), plannedJobs: 18), attempts: attempts(),
            testSuites: testSuites, generatedAt: start.addingTimeInterval(20_000))
    }

    static func suite() -> TestSuiteReport {
        TestSuiteReport(
            suiteRunID: "s-1", phase: .after, target: "http://127.0.0.1:8080", startedAt: start,
            outcomes: [
                CheckOutcome(check: .health, status: .pass, durationSeconds: 0.02, startedAt: start,
                             measurements: [.number("http_status", 200, places: 0, threshold: "= 200", met: true)]),
                CheckOutcome(check: .costEfficiency, status: .fail, durationSeconds: 0.01, startedAt: start,
                             measurements: [.number("memory_usage", 0.2, unit: "%", threshold: "> 10.0",
                                                    met: false)],
                             reason: "memory usage <0.2 %> is not above 10.0 %"),
            ])
    }
}
