import NIOConcurrencyHelpers

/// Synthetic datasets by (country, variables), generated once and shared by every fit.
final class DatasetCache: Sendable {
    private struct Key: Hashable {
        var country: String
        var variables: ModelVariables
    }

    /// The countries of the seed's default matrix, generated at start.
    static let defaultCountries = ["fr", "de", "uk", "es"]
    /// At most this many datasets are kept; the oldest is dropped first.
    static let capacity = 64

    private let entries = NIOLockedValueBox<(datasets: [Key: SyntheticDataset], order: [Key])>(([:], []))

    /// The dataset for `country` and `variables`, generated on first use (on the calling thread).
    func dataset(country: String, variables: ModelVariables) -> SyntheticDataset {
        let key = Key(country: country, variables: variables)
        if let cached = entries.withLockedValue({ $0.datasets[key] }) { return cached }
        let generated = SyntheticDataset(country: country, variables: variables)
        entries.withLockedValue { entries in
            guard entries.datasets[key] == nil else { return }
            entries.datasets[key] = generated
            entries.order.append(key)
            if entries.order.count > Self.capacity {
                let oldest = entries.order.removeFirst()
                entries.datasets[oldest] = nil
            }
        }
        return generated
    }

    /// Whether the dataset is cached already.
    func contains(country: String, variables: ModelVariables) -> Bool {
        entries.withLockedValue { $0.datasets[Key(country: country, variables: variables)] != nil }
    }
}
