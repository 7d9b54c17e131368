/// Mid-ranks of a sample (ties get the average of the ranks they span, 1-based) and the sizes of the tie groups,
/// as `scipy.stats.rankdata(method="average")`.
public struct Ranking: Sendable, Equatable {
    /// The rank of each value, in the order of the input.
    public let ranks: [Double]
    /// The size of every group of equal values with more than one member.
    public let tieGroups: [Int]

    public init(_ values: [Double]) {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var groups: [Int] = []
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && values[order[end + 1]] == values[order[start]] { end += 1 }
            let rank = Double(start + end + 2) / 2
            for position in start...end { ranks[order[position]] = rank }
            if end > start { groups.append(end - start + 1) }
            start = end + 1
        }
        self.ranks = ranks
        tieGroups = groups
    }

    /// Σ (t³ − t) over the tie groups: the tie term of the normal approximations.
    public var tieTerm: Double { tieGroups.reduce(0) { $0 + Double($1 * $1 * $1 - $1) } }
}
