import Testing

@testable import BenchTrainer

/// `TrainerConfiguration.dataScale` (`mmmbench trainer --data-scale`): the workload of the data-processing endpoint
/// that the check-runner tests shrink, so that a healthy trainer stays below the seed's 10 s on a slow build.
@Suite("Trainer: --data-scale scales the data-processing sizes, not explicit rows")
struct DataScaleTests {
    @Test("data scale 0.1: small is 2,000 rows, still verified and compressed; an explicit rows is unscaled")
    func scaledSizes() async throws {
        try await TrainerHarness.with({ $0.dataScale = 0.1 }) { trainer in
            let small = try await trainer.post("/api/test-data-processing", #"{"size": "small"}"#)
            #expect(small.status == 200)
            #expect(small["rows"]?.int == 2_000)
            #expect(small["verified"]?.bool == true)
            #expect((small["compression_ratio"]?.double ?? 0) > 0.2)
            let defaulted = try await trainer.send(.post, "/api/test-data-processing")
            #expect(defaulted["rows"]?.int == 2_000)
            let medium = try await trainer.post("/api/test-data-processing", #"{"size": "medium"}"#)
            #expect(medium["rows"]?.int == 10_000)
            let explicit = try await trainer.post("/api/test-data-processing", #"{"rows": 3000}"#)
            #expect(explicit["rows"]?.int == 3_000)
        }
    }

    @Test("the scaled row count rounds and never drops below one row")
    func scaledRowCount() {
        #expect(DataProcessingJob.rows(forSize: "small", scale: 1) == 20_000)
        #expect(DataProcessingJob.rows(forSize: "large", scale: 0.001) == 500)
        #expect(DataProcessingJob.rows(forSize: "small", scale: 1e-9) == 1)
        #expect(DataProcessingJob.rows(forSize: "huge", scale: 0.1) == nil)
    }
}
