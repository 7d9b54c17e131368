import BenchJSON
import Hummingbird

/// `POST /api/test-parallel` and `POST /api/load-test`: one small real fit each, answering
/// `{"status": "success", "request_id": <echoed>, ...}`.
struct SmallFitHandler: Sendable {
    /// Which endpoint this handler serves; they differ only in the faults that apply.
    enum Endpoint: Sendable {
        case parallel
        case loadTest
    }

    let services: TrainerServices
    let endpoint: Endpoint

    func handle(_ request: Request) async -> Response {
        let body: [String: JSONValue]
        do {
            body = try await JSONResponse.readObjectBody(request, limit: services.configuration.maxBodyBytes)
        } catch {
            return error.response
        }
        let requestID = body["request_id"] ?? .null
        let country: String = if case .string(let name) = body["country"], !name.isEmpty { name } else { "fr" }
        let faults = services.configuration.faults

        switch endpoint {
        case .parallel:
            if let failing = faults.parallelFailingRequestID, requestID.identifierText == failing {
                return JSONResponse.error(
                    .internalServerError, "injected failure for request_id \(failing) (fault parallel-fail)",
                    requestID: requestID)
            }
        case .loadTest:
            let sequence = services.loadTestRequests.add(1, ordering: .relaxed).newValue
            if faults.loadTestFailing && sequence % 5 != 0 {
                return JSONResponse.error(
                    .internalServerError, "injected failure of load request \(sequence) (fault load-test-fail)",
                    requestID: requestID)
            }
        }

        let started = ContinuousClock.now
        do {
            let measured = try await services.smallFit(country: country)
            return JSONResponse.make(
                .ok,
                SmallFitBody(
                    requestID: requestID,
                    country: country,
                    candidatesEvaluated: measured.value.candidatesEvaluated,
                    nrmse: measured.value.best.nrmse,
                    decompRSSD: measured.value.best.decompRSSD,
                    elapsedSeconds: started.duration(to: .now).seconds,
                    cpuSeconds: measured.cpuSeconds
                ))
        } catch {
            return JSONResponse.error(.serviceUnavailable, "fit interrupted: \(error)", requestID: requestID)
        }
    }
}
