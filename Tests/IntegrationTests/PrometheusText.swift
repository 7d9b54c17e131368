import Foundation

/// A strict reader of the Prometheus text exposition format (0.0.4), for tests: every sample's family has a
/// `# TYPE` line before it, names and labels are well-formed, values are numbers, and a histogram's buckets are
/// cumulative with `le="+Inf"` equal to its `_count`. Stands in for `promtool check metrics`, which needs Debian's
/// 100 MB `prometheus` package.
struct PrometheusText {
    struct Problem: Error, CustomStringConvertible {
        let line: Int
        let reason: String
        var description: String { "line \(line): \(reason)" }
    }

    /// Samples by `name{label="value",...}` exactly as written.
    private(set) var samples: [String: Double] = [:]
    private(set) var types: [String: String] = [:]

    init(_ text: String) throws {
        let name = try Regex(#"^[a-zA-Z_:][a-zA-Z0-9_:]*$"#)
        let label = try Regex(#"^[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"$"#)
        var buckets: [String: [(le: Double, count: Double)]] = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3)
                guard parts.count >= 3, parts[0] == "#", ["HELP", "TYPE"].contains(parts[1]),
                      String(parts[2]).wholeMatch(of: name) != nil else {
                    throw Problem(line: number, reason: "malformed comment: \(line)")
                }
                if parts[1] == "TYPE" {
                    let type = parts.count == 4 ? String(parts[3]) : ""
                    guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(type) else {
                        throw Problem(line: number, reason: "unknown type in \(line)")
                    }
                    guard types[String(parts[2])] == nil else {
                        throw Problem(line: number, reason: "second TYPE for \(parts[2])")
                    }
                    types[String(parts[2])] = type
                }
                continue
            }
            guard let space = line.lastIndex(of: " ") else { throw Problem(line: number, reason: "no value: \(line)") }
            let key = String(line[..<space])
            guard let value = Double(line[line.index(after: space)...]) else {
                throw Problem(line: number, reason: "value is not a number: \(line)")
            }
            var metric = key
            var labels: [String] = []
            if let open = key.firstIndex(of: "{") {
                guard key.hasSuffix("}") else { throw Problem(line: number, reason: "unclosed labels: \(line)") }
                metric = String(key[..<open])
                let body = key[key.index(after: open)..<key.index(before: key.endIndex)]
                labels = body.isEmpty ? [] : body.split(separator: ",").map(String.init)
                for pair in labels where pair.wholeMatch(of: label) == nil {
                    throw Problem(line: number, reason: "malformed label \(pair)")
                }
            }
            guard metric.wholeMatch(of: name) != nil else { throw Problem(line: number, reason: "bad name \(metric)") }
            let family = types[metric] != nil ? metric
                : ["_bucket", "_sum", "_count"].compactMap { suffix in
                    metric.hasSuffix(suffix) ? String(metric.dropLast(suffix.count)) : nil
                }.first { types[$0] == "histogram" }
            guard let family, types[family] != nil else {
                throw Problem(line: number, reason: "sample before its TYPE: \(metric)")
            }
            guard samples[key] == nil else { throw Problem(line: number, reason: "duplicate sample \(key)") }
            samples[key] = value
            if metric.hasSuffix("_bucket") {
                guard let le = labels.first(where: { $0.hasPrefix("le=") }) else {
                    throw Problem(line: number, reason: "bucket without le: \(line)")
                }
                let bound = le.dropFirst(4).dropLast()
                let series = family + "|" + labels.filter { !$0.hasPrefix("le=") }.joined(separator: ",")
                buckets[series, default: []].append((bound == "+Inf" ? .infinity : Double(bound) ?? .nan, value))
            }
        }
        for (series, list) in buckets {
            guard zip(list, list.dropFirst()).allSatisfy({ $0.le < $1.le && $0.count <= $1.count }),
                  list.last?.le == .infinity else {
                throw Problem(line: 0, reason: "buckets of \(series) not cumulative or without +Inf")
            }
        }
    }

    /// The value of the sample written as `key`.
    func value(_ key: String) -> Double? { samples[key] }

    /// Sum of the samples of `metric` whose labels contain every one of `containing` (e.g. `le="+Inf"`).
    func sum(_ metric: String, containing: [String] = []) -> Double {
        samples.filter { key, _ in
            (key == metric || key.hasPrefix(metric + "{")) && containing.allSatisfy { key.contains($0) }
        }.values.reduce(0, +)
    }
}
