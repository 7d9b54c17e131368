import Hummingbird

/// `GET /health`: status, which components are really warm, and real CPU and memory figures of this process.
struct HealthHandler: Sendable {
    let services: TrainerServices

    func handle(_ request: Request) -> Response {
        let unhealthy = services.configuration.faults.unhealthy
        let body = HealthBody(
            status: unhealthy ? "unhealthy" : "healthy",
            warmStatus: services.warm.snapshot(),
            checks: HealthChecks(
                cpuUsage: services.usage.cpuPercent(),
                memoryUsage: services.usage.memoryPercent(),
                rssMB: ProcessResources.residentBytes() / 1_048_576,
                cpuCores: ProcessResources.cores,
                fitThreads: services.executor.threads,
                activeFits: services.executor.activeJobs,
                uptimeSeconds: services.startedAt.duration(to: .now).seconds
            )
        )
        return JSONResponse.make(unhealthy ? .serviceUnavailable : .ok, body)
    }
}
