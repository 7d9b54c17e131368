import BenchJSON
import BenchObservability
import BenchProtocol
import BenchWire
import Logging

/// The metadata of a coordinator log line about one attempt: `job`, `attempt` and `agent` (``JSONLogLine/Keys``;
/// `collection` comes from the logger itself). `--log-format json` writes them as keys of their own.
enum TaskLogMetadata {
    static func of(_ task: TaskKey, agent: String) -> Logger.Metadata {
        of(job: task.jobID, attempt: task.attempt, agent: agent)
    }

    static func of(_ ref: TaskRef, agent: String) -> Logger.Metadata {
        of(job: ref.taskID, attempt: ref.attempt, agent: agent)
    }

    static func of(job: String, attempt: Int, agent: String) -> Logger.Metadata {
        [JSONLogLine.Keys.job: .string(job), JSONLogLine.Keys.attempt: .stringConvertible(attempt),
         JSONLogLine.Keys.agent: .string(agent)]
    }
}
