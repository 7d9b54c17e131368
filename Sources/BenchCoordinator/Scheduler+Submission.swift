import BenchCore
import BenchJSON
import BenchProtocol
import BenchStore
import BenchWire

/// Results as connections hand them over: prepared outside the actor.
extension Scheduler {
    /// A reported metric as a round will commit it: the job's identity is the plan's (whatever the agent copied
    /// into its outcome).
    nonisolated func submission(for reported: BaselineMetric, task: TaskRef, agent: String) -> ResultSubmission {
        var metric = reported
        if let spec = specsByID[task.taskID] {
            metric.jobType = spec.jobType
            metric.iterations = spec.iterations
            metric.trials = spec.trials
            metric.country = spec.country
            // In an A/B collection the task id is `{job}@{side}`: the metric carries the job's id and its side.
            if let target = spec.target {
                metric.jobID = spec.id
                metric.target = target
            }
        }
        return ResultSubmission(jobID: task.taskID, attempt: task.attempt, agent: agent, metric: metric)
    }
}
