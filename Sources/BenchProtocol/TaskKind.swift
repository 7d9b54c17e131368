import BenchJSON
/// What an assigned task asks the agent to do.
public enum TaskKind: String, Sendable, Hashable, CaseIterable {
    /// A baseline training job: `POST /train` with the payload, timed.
    case train
    /// An optimization check of a deployed trainer.
    case check
}
