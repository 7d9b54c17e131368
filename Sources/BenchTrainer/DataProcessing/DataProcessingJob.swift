/// The work of `POST /api/test-data-processing`: generate a daily table, encode it columnar, compress it, then
/// decompress and decode it again and check the round trip.
struct DataProcessingJob: Sendable {
    /// Rows for the seed's `"size"` values.
    static func rows(forSize size: String) -> Int? {
        switch size {
        case "small": 20_000
        case "medium": 100_000
        case "large": 500_000
        default: nil
        }
    }

    /// Rows for a `"size"` with the trainer's `dataScale` applied (at least 1).
    static func rows(forSize size: String, scale: Double) -> Int? {
        rows(forSize: size).map { max(1, Int((Double($0) * scale).rounded())) }
    }

    static let maxRows = 2_000_000

    var rows: Int
    var seed: UInt64

    struct Outcome: Sendable {
        var rows: Int
        var columns: Int
        var rawBytes: Int
        var compressedBytes: Int
        /// `1 - compressed / raw`.
        var compressionRatio: Double
        /// The compressed form decoded back to the same table.
        var verified: Bool
    }

    func run() throws(DataProcessingError) -> Outcome {
        let table = DailyTable(rows: rows, seed: seed)
        let raw = table.csvBytes()
        let columnar = ColumnarEncoder.encode(table)
        let compressed = LZCompressor.compress(columnar)
        let restored = try ColumnarEncoder.decode(
            try LZCompressor.decompress(compressed, expectedSize: columnar.count))
        let ratio = raw.isEmpty ? 0 : 1 - Double(compressed.count) / Double(raw.count)
        return Outcome(
            rows: rows,
            columns: 1 + table.integerColumns.count,
            rawBytes: raw.count,
            compressedBytes: compressed.count,
            compressionRatio: ratio,
            verified: restored == table
        )
    }
}
