import BenchJSON
import Hummingbird
import Logging

/// `POST /train`: validates the seed's payload, applies injected faults, then runs the MMM search on a worker
/// thread and answers with the best model and the resources the fit used.
struct TrainHandler: Sendable {
    let services: TrainerServices

    /// How long a hanging `/train` (fault `train-hang`) waits before giving up by itself.
    static let hangLimit: Duration = .seconds(24 * 3_600)

    func handle(_ request: Request) async -> Response {
        let received = ContinuousClock.now
        let configuration = services.configuration
        let json: JSONValue
        do {
            json = try await JSONResponse.readBody(request, limit: configuration.maxBodyBytes)
        } catch {
            record(jobID: nil)
            return error.response
        }
        let claimedJobID: String? = if case .object(let body) = json, case .string(let id) = body["job_id"] {
            id
        } else {
            nil
        }
        record(jobID: claimedJobID)

        let train: TrainRequest
        do {
            train = try TrainRequest(json: json)
        } catch {
            if configuration.faults.acceptInvalidPayloads {
                services.logger.warning("accepting an invalid /train payload (fault accept-invalid): \(error)")
                return JSONResponse.make(.ok, AcceptedWithoutValidation(jobID: claimedJobID))
            }
            return JSONResponse.error(
                error.field == nil ? .badRequest : .unprocessableContent, error.description, field: error.field,
                jobID: claimedJobID)
        }

        let sequence = services.trainRequests.add(1, ordering: .relaxed).newValue
        if configuration.faults.trainHang, sequence > configuration.faults.trainHangAfter {
            try? await Task.sleep(for: Self.hangLimit)
            return JSONResponse.error(.serviceUnavailable, "trainer stopped while the request hung", jobID: train.jobID)
        }
        if let delay = configuration.faults.trainDelay {
            try? await Task.sleep(for: delay)
        }
        if let every = configuration.faults.trainFailureEveryNth, sequence % every == 0 {
            return JSONResponse.error(
                HTTPResponse.Status(code: configuration.faults.trainFailureStatus),
                "injected failure of request \(sequence) (fault train-error)", jobID: train.jobID)
        }
        if configuration.faults.trainGarbageBody {
            return Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "<html>garbage, not JSON {{{ \u{1}\u{2}"))
            )
        }
        if configuration.instant {
            return JSONResponse.make(.ok, TrainResponse(instantFor: train, elapsed: received.duration(to: .now)))
        }
        return await fit(train, received: received)
    }

    private func fit(_ train: TrainRequest, received: ContinuousClock.Instant) async -> Response {
        let datasets = services.datasets
        let settings = services.searchSettings
        do {
            let measured = try await services.executor.run { shouldStop in
                let dataset = datasets.dataset(country: train.country, variables: train.variables)
                return try MMMFitter.fit(
                    dataset: dataset, iterations: train.iterations, trials: train.trials, settings: settings,
                    shouldStop: shouldStop)
            }
            let outcome = measured.value
            let body = TrainResponse(
                jobID: train.jobID,
                country: train.country,
                iterations: train.iterations,
                trials: train.trials,
                bestModel: BestModelBody(outcome.best, mediaNames: train.variables.paidMediaVars),
                candidatesEvaluated: outcome.candidatesEvaluated,
                ridgeFits: outcome.ridgeFits,
                solverSweeps: outcome.solverSweeps,
                weeks: outcome.weeks,
                elapsedSeconds: received.duration(to: .now).seconds,
                fitSeconds: measured.runSeconds,
                queueSeconds: measured.queueSeconds,
                cpuSeconds: measured.cpuSeconds,
                peakRSSMB: ProcessResources.peakResidentMegabytes(),
                instant: false
            )
            services.logger.debug(
                "fit done",
                metadata: [
                    "job_id": "\(train.jobID ?? "-")", "candidates": "\(outcome.candidatesEvaluated)",
                    "cpu_seconds": "\(measured.cpuSeconds)",
                ])
            return JSONResponse.make(.ok, body)
        } catch let interruption as FitInterruption {
            return JSONResponse.error(.serviceUnavailable, "fit interrupted: \(interruption)", jobID: train.jobID)
        } catch {
            services.logger.error("fit failed: \(error)")
            return JSONResponse.error(.internalServerError, "fit failed: \(error)", jobID: train.jobID)
        }
    }

    private func record(jobID: String?) {
        guard let log = services.requestLog else { return }
        do {
            try log.record(jobID: jobID)
        } catch {
            services.logger.error("\(error)")
        }
    }
}

/// The answer to an invalid payload under fault `accept-invalid`: 200, nothing fitted.
private struct AcceptedWithoutValidation: Encodable {
    var status = "success"
    var jobID: String?
    var validated = false

    enum CodingKeys: String, CodingKey {
        case status, validated
        case jobID = "job_id"
    }
}

extension TrainResponse {
    /// The answer of an `instant` trainer: validated, not fitted.
    init(instantFor train: TrainRequest, elapsed: Duration) {
        self.init(
            jobID: train.jobID, country: train.country, iterations: train.iterations, trials: train.trials,
            bestModel: nil, candidatesEvaluated: 0, ridgeFits: 0, solverSweeps: 0, weeks: 0,
            elapsedSeconds: elapsed.seconds, fitSeconds: 0, queueSeconds: 0, cpuSeconds: 0,
            peakRSSMB: ProcessResources.peakResidentMegabytes(), instant: true)
    }
}
