/// The k-th smallest of a large implicit set of values (all pairwise differences, all Walsh averages).
protocol OrderStatistics {
    var count: Int { get }
    /// The value of 1-based rank `rank` in ascending order.
    func value(rank: Int) -> Double
}

/// The values stored and sorted: for sets small enough to hold.
struct SortedValues: OrderStatistics {
    let values: [Double]

    init(pairwiseDifferences x: [Double], _ y: [Double]) {
        var values: [Double] = []
        values.reserveCapacity(x.count * y.count)
        for b in x { for c in y { values.append(c - b) } }
        self.values = values.sorted()
    }

    init(walshAverages d: [Double]) {
        var values: [Double] = []
        values.reserveCapacity(d.count * (d.count + 1) / 2)
        for i in d.indices { for j in i..<d.count { values.append((d[i] + d[j]) / 2) } }
        self.values = values.sorted()
    }

    var count: Int { values.count }
    func value(rank: Int) -> Double { values[rank - 1] }
}

/// Finds an order statistic without storing the set: the smallest double t with at least `rank` values <= t,
/// by bisection over doubles, each step counting in linear time. The values are computed exactly as
/// ``SortedValues`` computes them, so the result is the same value.
protocol CountedOrderStatistics: OrderStatistics {
    var minimum: Double { get }
    var maximum: Double { get }
    /// How many values are <= t.
    func countAtMost(_ t: Double) -> Int
}

extension CountedOrderStatistics {
    func value(rank: Int) -> Double {
        var low = minimum.nextDown  // count 0 < rank
        var high = maximum  // count = all >= rank
        for _ in 0..<4096 {
            let middle = low / 2 + high / 2
            guard middle > low, middle < high else { break }
            if countAtMost(middle) >= rank { high = middle } else { low = middle }
        }
        return high
    }
}

/// All c − b for b in x, c in y.
struct PairwiseDifferences: CountedOrderStatistics {
    let x: [Double]
    let y: [Double]

    init(x: [Double], y: [Double]) {
        self.x = x.sorted()
        self.y = y.sorted()
    }

    var count: Int { x.count * y.count }
    var minimum: Double { (y.first ?? 0) - (x.last ?? 0) }
    var maximum: Double { (y.last ?? 0) - (x.first ?? 0) }

    func countAtMost(_ t: Double) -> Int {
        // For ascending y, the first i with y_j − x_i <= t only moves right.
        var i = 0
        var total = 0
        for c in y {
            while i < x.count && c - x[i] > t { i += 1 }
            total += x.count - i
        }
        return total
    }
}

/// All (d_i + d_j)/2 for i <= j.
struct WalshAverages: CountedOrderStatistics {
    let d: [Double]

    init(_ d: [Double]) { self.d = d.sorted() }

    var count: Int { d.count * (d.count + 1) / 2 }
    var minimum: Double { d.first ?? 0 }
    var maximum: Double { d.last ?? 0 }

    func countAtMost(_ t: Double) -> Int {
        // For ascending i, the last j with (d_i + d_j)/2 <= t only moves left.
        var j = d.count - 1
        var total = 0
        for i in d.indices {
            while j >= i && (d[i] + d[j]) / 2 > t { j -= 1 }
            if j < i { break }
            total += j - i + 1
        }
        return total
    }
}
