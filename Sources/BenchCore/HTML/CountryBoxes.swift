/// Which countries the HTML report's "Duration by country" box plot draws. Up to ``maxBoxes`` boxes (one per
/// country, two in an A/B collection) every country is drawn; beyond, a chart of 760 pixels would give each box less
/// than 30 of them and print its labels over each other (a one-day plan of 20,000 jobs has thousands of countries),
/// so it draws the countries with the highest median successful duration (of either side), the ones a reader looks
/// for, ties broken by name, and the page says how many it left out.
struct CountryBoxes {
    /// The most boxes the chart draws.
    static let maxBoxes = 24

    /// The countries drawn, in name order.
    let drawn: [String]
    /// Countries with a successful job (on either side).
    let total: Int

    /// `baseline` and `candidate` map each country to its successful durations (minutes); `candidate` is nil in a
    /// one-target collection.
    init(baseline: [String: [Double]], candidate: [String: [Double]]?) {
        var countries = Set(baseline.keys)
        if let candidate { countries.formUnion(candidate.keys) }
        total = countries.count
        let limit = Self.maxBoxes / (candidate == nil ? 1 : 2)
        guard countries.count > limit else {
            drawn = countries.sorted()
            return
        }
        func median(_ minutes: [Double]?) -> Double {
            guard let minutes, !minutes.isEmpty else { return -.infinity }
            return SummaryStatistics.percentile(minutes.sorted(), 50)
        }
        let ranked = countries.map { country in
            (country: country, median: max(median(baseline[country]), median(candidate?[country])))
        }.sorted { $0.median != $1.median ? $0.median > $1.median : $0.country < $1.country }
        drawn = ranked.prefix(limit).map(\.country).sorted()
    }
}
