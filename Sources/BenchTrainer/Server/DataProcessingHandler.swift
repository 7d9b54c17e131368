import BenchJSON
import Hummingbird

/// `POST /api/test-data-processing`: encodes a generated daily table into a columnar compressed form on a worker
/// thread and reports the real compression ratio against the table's CSV size.
///
/// Body (all optional): `{"size": "small" | "medium" | "large", "rows": N, "format": "parquet"}`.
struct DataProcessingHandler: Sendable {
    let services: TrainerServices

    func handle(_ request: Request) async -> Response {
        let body: [String: JSONValue]
        do {
            body = try await JSONResponse.readObjectBody(request, limit: services.configuration.maxBodyBytes)
        } catch {
            return error.response
        }
        let scale = services.configuration.dataScale
        var rows = DataProcessingJob.rows(forSize: "small", scale: scale) ?? 20_000
        switch body["size"] {
        case nil, .null: break
        case .string(let size):
            guard let sized = DataProcessingJob.rows(forSize: size, scale: scale) else {
                return JSONResponse.error(
                    .unprocessableContent, "size must be small, medium or large", field: "size")
            }
            rows = sized
        case .some(let other):
            return JSONResponse.error(.unprocessableContent, "size must be a string, not \(other.typeName)", field: "size")
        }
        switch body["rows"] {
        case nil, .null: break
        case .number(let count) where Int(exactly: count).map((1...DataProcessingJob.maxRows).contains) == true:
            rows = Int(count)
        case .some:
            return JSONResponse.error(
                .unprocessableContent, "rows must be an integer in 1...\(DataProcessingJob.maxRows)", field: "rows")
        }
        let format: String = if case .string(let name) = body["format"] { name } else { "columnar" }

        let started = ContinuousClock.now
        if let delay = services.configuration.faults.dataProcessingDelay {
            do {
                try await Task.sleep(for: delay)
            } catch {
                return JSONResponse.error(.serviceUnavailable, "trainer stopping")
            }
        }
        let job = DataProcessingJob(rows: rows, seed: StableHash.fnv1a("data-processing", String(rows)))
        do {
            let measured = try await services.executor.run { _ in try job.run() }
            let outcome = measured.value
            return JSONResponse.make(
                .ok,
                DataProcessingBody(
                    format: format,
                    rows: outcome.rows,
                    columns: outcome.columns,
                    rawBytes: outcome.rawBytes,
                    compressedBytes: outcome.compressedBytes,
                    compressionRatio: outcome.compressionRatio,
                    processingSeconds: started.duration(to: .now).seconds,
                    verified: outcome.verified
                ))
        } catch {
            return JSONResponse.error(.internalServerError, "data processing failed: \(error)")
        }
    }
}
