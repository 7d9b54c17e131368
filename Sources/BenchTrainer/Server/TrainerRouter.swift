import Hummingbird

/// The routes of the reference trainer.
///
///     POST /train                      TrainHandler
///     GET  /health                     HealthHandler
///     POST /api/test-data-processing   DataProcessingHandler
///     POST /api/test-parallel          SmallFitHandler(.parallel)
///     POST /api/load-test              SmallFitHandler(.loadTest)
enum TrainerRouter {
    static func make(services: TrainerServices) -> Router<BasicRequestContext> {
        let router = Router()
        let train = TrainHandler(services: services)
        let health = HealthHandler(services: services)
        let dataProcessing = DataProcessingHandler(services: services)
        let parallel = SmallFitHandler(services: services, endpoint: .parallel)
        let loadTest = SmallFitHandler(services: services, endpoint: .loadTest)
        router.post("/train") { request, _ in await train.handle(request) }
        router.get("/health") { request, _ in health.handle(request) }
        router.post("/api/test-data-processing") { request, _ in await dataProcessing.handle(request) }
        router.post("/api/test-parallel") { request, _ in await parallel.handle(request) }
        router.post("/api/load-test") { request, _ in await loadTest.handle(request) }
        return router
    }
}
