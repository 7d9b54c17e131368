import BenchJSON
import BenchObservability
import BenchProtocol
import BenchWire
import Logging

extension AgentWork {
    /// The metadata of a log line about one attempt: `job`, `attempt`, `agent` and, once welcomed, `collection`
    /// (``JSONLogLine/Keys``; `--log-format json` writes them as keys of their own).
    func logMetadata(_ task: TaskRef) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            JSONLogLine.Keys.job: .string(task.taskID), JSONLogLine.Keys.attempt: .stringConvertible(task.attempt),
            JSONLogLine.Keys.agent: .string(name),
        ]
        if let collectionID { metadata[JSONLogLine.Keys.collection] = .string(collectionID) }
        return metadata
    }
}
