import Foundation

/// A daily marketing table as a trainer ingests it: one row per (geo, day), spends and revenue in cents.
///
/// Columns: day index, geo (dictionary string), three paid media spends, impressions, weekend flag, organic
/// traffic and revenue. Generated deterministically from a seed.
struct DailyTable: Sendable, Equatable {
    static let geos = ["fr", "de", "uk", "es", "it", "nl", "be", "pl"]
    static let integerColumnNames = [
        "day", "ga_supply_cost_cents", "ga_demand_cost_cents", "meta_demand_cost_cents", "impressions",
        "is_weekend", "organic_traffic", "revenue_cents",
    ]

    /// Number of rows.
    let rows: Int
    /// Geo of each row, as an index into `geos`.
    let geoIndex: [Int]
    /// The integer columns, in `integerColumnNames` order.
    let integerColumns: [[Int64]]

    init(rows: Int, geoIndex: [Int], integerColumns: [[Int64]]) {
        self.rows = rows
        self.geoIndex = geoIndex
        self.integerColumns = integerColumns
    }

    /// Generates `rows` rows: days run per geo, geos one after another (as exports are usually sorted).
    init(rows: Int, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let perGeo = max(1, (rows + Self.geos.count - 1) / Self.geos.count)
        var geoIndex: [Int] = []
        var columns = [[Int64]](repeating: [], count: Self.integerColumnNames.count)
        for index in columns.indices { columns[index].reserveCapacity(rows) }
        geoIndex.reserveCapacity(rows)
        var levels = [Double](repeating: 0, count: 3)
        for row in 0..<rows {
            let geo = min(row / perGeo, Self.geos.count - 1)
            let day = row - geo * perGeo
            if day == 0 { levels = (0..<3).map { _ in 200 + 1_800 * rng.unit() } }
            let weekend = day % 7 >= 5
            let season = 1 + 0.3 * sin(2 * Double.pi * Double(day) / 365)
            let spends = levels.map { $0 * season * (weekend ? 0.7 : 1) * exp(0.2 * rng.normal()) }
            let organic = 3_000 * season * (weekend ? 1.2 : 1) * exp(0.1 * rng.normal())
            let revenue = 5 * spends.reduce(0, +) + 2 * organic + 500 * rng.normal()
            geoIndex.append(geo)
            columns[0].append(Int64(day))
            for channel in 0..<3 { columns[1 + channel].append(Int64((spends[channel] * 100).rounded())) }
            columns[4].append(Int64((spends.reduce(0, +) * 120).rounded()))
            columns[5].append(weekend ? 1 : 0)
            columns[6].append(Int64(organic.rounded()))
            columns[7].append(Int64((max(revenue, 0) * 100).rounded()))
        }
        self.rows = rows
        self.geoIndex = geoIndex
        self.integerColumns = columns
    }

    /// The table as CSV text (header + one line per row, money with two decimals): the row-oriented form the
    /// compression ratio is measured against.
    func csvBytes() -> [UInt8] {
        var text = "geo," + Self.integerColumnNames.joined(separator: ",") + "\n"
        text.reserveCapacity(rows * 72)
        for row in 0..<rows {
            text += Self.geos[geoIndex[row]]
            for (column, values) in integerColumns.enumerated() {
                text += ","
                let value = values[row]
                if Self.integerColumnNames[column].hasSuffix("_cents") {
                    let sign = value < 0 ? "-" : ""
                    let magnitude = value.magnitude
                    let cents = magnitude % 100
                    text += "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
                } else {
                    text += String(value)
                }
            }
            text += "\n"
        }
        return Array(text.utf8)
    }
}
