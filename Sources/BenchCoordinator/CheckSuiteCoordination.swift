import BenchJSON
import BenchProtocol
import BenchWire

/// The optimization test suite of a collection (plan `checks.run`), as the scheduler runs it.
struct CheckSuiteCoordination: Sendable {
    /// A check result waiting for the next round: from an agent's session, or from the coordinator's own run of the
    /// rollback check (no session).
    struct PendingResult: Sendable {
        let session: AgentSession?
        let ref: TaskRef
        let agent: String
        let outcome: JSONValue
    }

    var driver: CheckSuiteDriver
    let writer: CheckStoreWriter
    let localRunner: LocalCheckRunner?
    var results: [PendingResult] = []
    /// Attempts an agent's hello showed lost, closed in the next round.
    var lostOnHello: [CheckSuiteDriver.Loss] = []
    var loggedWait: String?

    init(driver: CheckSuiteDriver, writer: CheckStoreWriter, localRunner: LocalCheckRunner?) {
        self.driver = driver
        self.writer = writer
        self.localRunner = localRunner
    }
}
