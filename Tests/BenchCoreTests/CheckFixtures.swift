import BenchCore
import Foundation

/// Exchanges and outcomes for testing the evaluators and renderers without a server.
enum CheckFixtures {
    static func exchange(
        _ request: CheckRequest = .health(timeoutSeconds: 30), status: Int?, json: String? = nil, ms: Double = 5,
        error: String? = nil, offset: Double = 0
    ) -> CheckExchange {
        CheckExchange(
            request: request, status: status, body: json.map { Data($0.utf8) }, durationMs: ms,
            transportError: error, startOffsetMs: offset)
    }

    static let healthyBody = """
        {"status": "healthy", "warm_status": {"container_ready": true, "datasets": true, "solver": true},
         "checks": {"cpu_usage": 42.5, "memory_usage": 30.25}}
        """

    static let started = Date(timeIntervalSince1970: 1_740_823_200.25)
}
