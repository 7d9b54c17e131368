import Foundation
import Testing

@testable import BenchTrainer

/// Datasets and fits are reproducible per country and differ between countries.
@Suite("determinism per country")
struct DeterminismTests {
    @Test("the same country gives the same dataset; another country gives other data")
    func datasetPerCountry() {
        let first = SyntheticDataset(country: "fr", variables: .seedDefault)
        let again = SyntheticDataset(country: "fr", variables: .seedDefault)
        let other = SyntheticDataset(country: "de", variables: .seedDefault)
        #expect(first.weeks == SyntheticDataset.defaultWeeks)
        #expect(first.media == again.media)
        #expect(first.context == again.context)
        #expect(first.organic == again.organic)
        #expect(first.response == again.response)
        #expect(first.truth == again.truth)
        #expect(first.media != other.media)
        #expect(first.response != other.response)
    }

    @Test("a column depends on the country and its own name, not on the other variables")
    func columnsAreStable() {
        var fewer = ModelVariables.seedDefault
        fewer.paidMediaVars = ["GA_DEMAND_COST"]
        fewer.paidMediaSpends = ["GA_DEMAND_COST"]
        let all = SyntheticDataset(country: "es", variables: .seedDefault)
        let one = SyntheticDataset(country: "es", variables: fewer)
        #expect(one.media[0] == all.media[1])
    }

    @Test("the shape follows the variables: one column per name, factor variables are 0/1")
    func datasetShape() {
        let dataset = SyntheticDataset(country: "uk", variables: .seedDefault)
        #expect(dataset.media.count == 3)
        #expect(dataset.spend.count == 3)
        #expect(dataset.context.count == 1)
        #expect(dataset.organic.count == 1)
        #expect(dataset.response.count == dataset.weeks)
        #expect(Set(dataset.context[0]).isSubset(of: [0, 1]))
        #expect(dataset.media.allSatisfy { column in column.allSatisfy { $0 >= 0 } })
    }

    @Test("FNV-1a matches the published test vectors, so seeds are the same on every machine")
    func stableHash() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c; our hash appends a 0x1F separator per part.
        var plain: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "a".utf8 {
            plain ^= UInt64(byte)
            plain = plain &* 0x0000_0100_0000_01b3
        }
        #expect(plain == 0xaf63_dc4c_8601_ec8c)
        #expect(StableHash.fnv1a("fr") == StableHash.fnv1a("fr"))
        #expect(StableHash.fnv1a("ab", "c") != StableHash.fnv1a("a", "bc"))
    }

    @Test("the same request twice gives the same best model; another country gives another")
    func fitIsReproducible() async throws {
        try await TrainerHarness.with({ $0.workScale = 0.1 }) { trainer in
            let first = try await trainer.post("/train", seedPayload(country: "fr", iterations: 50, trials: 2))
            let second = try await trainer.post("/train", seedPayload(country: "fr", iterations: 50, trials: 2))
            let other = try await trainer.post("/train", seedPayload(country: "de", iterations: 50, trials: 2))
            let best = try #require(first["best_model"])
            #expect(second["best_model"] == best)
            #expect(other["best_model"]?["nrmse"] != best["nrmse"])
        }
    }
}
