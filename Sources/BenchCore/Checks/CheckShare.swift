/// One share of a concurrent check (parallel processing, load handling) split over several agents, so the requests
/// really come from several hosts: share `index` of `count` sends the requests whose id `i` (0-based, of the
/// check's `requests`) has `i % count == index`.
///
///     requests 5, count 2:   share 0 -> ids 0, 2, 4     share 1 -> ids 1, 3
///
/// Each share's outcome carries its per-request samples; ``CheckOutcome/combining(shares:kind:settings:)`` judges
/// them together against the check's thresholds.
///
/// On the wire it is read and written by BenchProtocol's `CheckTask+Wire.swift`; `Codable` (same keys) is for
/// ``CheckOutcome``'s stored and reported JSON.
public struct CheckShare: Codable, Sendable, Hashable, CustomStringConvertible {
    /// 0-based share number, `0..<count`.
    public let index: Int
    /// Number of shares the check is split into, >= 1.
    public let count: Int

    /// - Throws: ``CheckShareError`` unless `count >= 1` and `0 <= index < count`.
    public init(index: Int, count: Int) throws(CheckShareError) {
        guard count >= 1, (0..<count).contains(index) else {
            throw CheckShareError(index: index, count: count)
        }
        self.index = index
        self.count = count
    }

    /// The whole check as a single share.
    public static let whole = CheckShare(unchecked: 0, 1)

    private init(unchecked index: Int, _ count: Int) {
        self.index = index
        self.count = count
    }

    /// Every share of a check split `count` ways (`count` is clamped to 1...requests, so no share is empty).
    public static func split(requests: Int, count: Int) -> [CheckShare] {
        let shares = min(max(count, 1), max(requests, 1))
        return (0..<shares).map { CheckShare(unchecked: $0, shares) }
    }

    /// The request ids this share sends, out of `total`.
    public func requestIDs(total: Int) -> [Int] {
        (0..<max(total, 0)).filter { $0 % count == index }
    }

    /// `share 1/2` (1-based, for people).
    public var description: String { "share \(index + 1)/\(count)" }

    enum CodingKeys: String, CodingKey {
        case index, count
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let index = try container.decode(Int.self, forKey: .index)
        let count = try container.decode(Int.self, forKey: .count)
        guard count >= 1, (0..<count).contains(index) else {
            throw DecodingError.dataCorruptedError(
                forKey: .index, in: container,
                debugDescription: CheckShareError(index: index, count: count).description)
        }
        self.index = index
        self.count = count
    }
}

/// A share whose index is not in `0..<count` or whose count is below 1.
public struct CheckShareError: Error, Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public var description: String {
        "invalid check share \(index) of \(count): need count >= 1 and 0 <= index < count"
    }
}
