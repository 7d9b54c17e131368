/// Sums, means, variances and rounding computed operation for operation as numpy and pandas compute them, so that
/// every figure of the seed's report is the same double as the seed's and prints the same digits.
///
/// Checked against pandas 3.1.1 / numpy 2.4 (what `pip install pandas` gives): the Series paths match bit for bit
/// on random samples of 1 to 50 000 values, the groupby paths on grouped random samples
/// (`scripts/seed_report_from_json.py` and `SeedCompatibilityTests` compare whole reports).
///
/// - `Series.sum()`: numpy's `add.reduce`, i.e. `0.0 + pairwise(values)` in row order (``seriesSum(_:)``).
/// - `Series.mean()`: that sum divided by the count. `Series.std()`: pandas' `nanvar` (the mean as above, then the
///   pairwise sum of the squared deviations, divided by n - 1), square-rooted.
/// - `groupby(...).agg(...)`: pandas' Cython kernels: Kahan-compensated `sum`/`mean` in row order (`group_sum`,
///   `group_mean`) and Welford's `var` (`group_var`, `std` its square root). pandas 3.1 takes a shortcut when the
///   group codes are monotonic along the rows (every group one run, runs in sorted key order): `sum`/`mean` are
///   then numpy's `add.reduceat`, the first value of the run plus the pairwise sum of the rest
///   (``groupedSum(_:codesMonotonic:)``). Older pandas (2.x) always takes the Kahan kernel; the two differ only in
///   the last bit of some sums, and only for such monotonic groupings.
/// - `DataFrame.round(2)`: numpy's `round`: multiply by 100, round half to even, divide by 100
///   (``numpyRound(_:decimals:)``), which is not Python's `round` (25.935 gives 25.94 here, 25.93 in Python).
public enum PandasArithmetic {
    /// numpy's `add.reduce` of a float64 array in order: `0.0 +` the pairwise sum.
    public static func seriesSum(_ values: [Double]) -> Double {
        0.0 + values.withUnsafeBufferPointer { pairwiseSum($0[...]) }
    }

    /// `Series.mean()`: ``seriesSum(_:)`` / count; nil for no values (pandas: NaN).
    public static func seriesMean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : seriesSum(values) / Double(values.count)
    }

    /// `Series.std()` (ddof = 1) as pandas' `nanvar` computes it; nil for fewer than two values (pandas: NaN).
    public static func seriesStandardDeviation(_ values: [Double]) -> Double? {
        guard values.count > 1 else { return nil }
        let count = Double(values.count)
        let mean = seriesSum(values) / count
        let squares = values.map { (mean - $0) * (mean - $0) }
        return (seriesSum(squares) / (count - 1)).squareRoot()
    }

    /// numpy's `pairwise_sum` (numpy/_core/src/umath/loops_utils.h.src): fewer than 8 values added in order from
    /// 0; up to 128 values in 8 interleaved accumulators combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), the
    /// remainder after the last multiple of 8 added after; above 128 the two halves (the first rounded down to a
    /// multiple of 8) summed recursively.
    public static func pairwiseSum(_ values: ArraySlice<Double>) -> Double {
        values.withUnsafeBufferPointer { pairwiseSum($0[...]) }
    }

    static func pairwiseSum(_ values: Slice<UnsafeBufferPointer<Double>>) -> Double {
        let count = values.count
        let start = values.startIndex
        if count < 8 {
            var result = 0.0
            for value in values { result += value }
            return result
        }
        if count <= 128 {
            var r = (values[start], values[start + 1], values[start + 2], values[start + 3],
                     values[start + 4], values[start + 5], values[start + 6], values[start + 7])
            var i = 8
            while i < count - count % 8 {
                let base = start + i
                r.0 += values[base]
                r.1 += values[base + 1]
                r.2 += values[base + 2]
                r.3 += values[base + 3]
                r.4 += values[base + 4]
                r.5 += values[base + 5]
                r.6 += values[base + 6]
                r.7 += values[base + 7]
                i += 8
            }
            var result = ((r.0 + r.1) + (r.2 + r.3)) + ((r.4 + r.5) + (r.6 + r.7))
            while i < count {
                result += values[start + i]
                i += 1
            }
            return result
        }
        var half = count / 2
        half -= half % 8
        return pairwiseSum(values[start..<(start + half)]) + pairwiseSum(values[(start + half)...])
    }

    /// The sum of one group as pandas' groupby computes it: numpy's `add.reduceat` (first value + pairwise sum of
    /// the rest) when the grouping's codes are monotonic along the rows (pandas 3.1), else the Kahan kernel.
    public static func groupedSum(_ values: [Double], codesMonotonic: Bool) -> Double {
        guard let first = values.first else { return 0 }
        if codesMonotonic {
            return first + pairwiseSum(values[1...])
        }
        return kahanSum(values)
    }

    /// pandas' `group_sum`/`group_mean` accumulation: Kahan's compensated sum in row order from 0 (a compensation
    /// that is not finite is reset to 0, as pandas does for infinities).
    public static func kahanSum(_ values: [Double]) -> Double {
        var sum = 0.0
        var compensation = 0.0
        for value in values {
            let y = value - compensation
            let t = sum + y
            compensation = t - sum - y
            if !compensation.isFinite { compensation = 0 }
            sum = t
        }
        return sum
    }

    /// pandas' `group_var` (ddof = 1): Welford's running mean and sum of squares in row order; nil for fewer than
    /// two values (pandas: NaN).
    public static func welfordVariance(_ values: [Double]) -> Double? {
        guard values.count > 1 else { return nil }
        var count = 0.0
        var mean = 0.0
        var m2 = 0.0
        for value in values {
            count += 1
            let previous = mean
            mean += (value - previous) / count
            m2 += (value - mean) * (value - previous)
        }
        return m2 / (count - 1)
    }

    /// numpy's `round(x, decimals)` for decimals >= 0: `rint(x * 10**d) / 10**d` (ties to even on the scaled value).
    public static func numpyRound(_ value: Double, decimals: Int) -> Double {
        guard value.isFinite else { return value }
        var scale = 1.0
        for _ in 0..<max(0, decimals) { scale *= 10 }
        return (value * scale).rounded(.toNearestOrEven) / scale
    }
}
