/// `collect` found no trainer: a `POST /train` could not connect and `GET /health` could not either. The run stops
/// (the job is released, not recorded): an unreachable trainer is the setup failing, not a measurement.
public struct TrainerUnreachableError: Error, Sendable, CustomStringConvertible {
    /// The trainer's base URL.
    public let url: String
    /// Why no connection could be opened, e.g. `connection refused`.
    public let reason: String

    public init(url: String, reason: String) {
        self.url = url
        self.reason = reason
    }

    public var description: String {
        "cannot reach the trainer at \(url): \(reason); no job was recorded as failed: start the trainer (or fix "
            + "--trainer-url) and run the same command again to resume"
    }
}
