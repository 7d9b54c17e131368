import AsyncHTTPClient
import BenchJSON
import BenchProtocol
import BenchWire

extension TrainerClient {
    /// The client of the trainer an assignment names (`target_url` of an A/B task, docs/protocol.md), sharing this
    /// client's connection pool; this client itself (the agent's `--trainer-url`) when it names none.
    func forTarget(of assignment: WireMessage.Assign) -> TrainerClient {
        guard let url = assignment.targetURL else { return self }
        return TrainerClient(baseURL: url, http: http, connectTimeoutSeconds: connectTimeoutSeconds)
    }
}
