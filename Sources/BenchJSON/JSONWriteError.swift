/// Why ``JSONWriter`` could not write a value.
public enum JSONWriteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A number is NaN or infinite; JSON has no spelling for it.
    case nonFiniteNumber(Double)
    /// Arrays and objects nest deeper than `JSONEncoder` writes (``JSONWriter/maximumDepth``).
    case tooDeep

    public var description: String {
        switch self {
        case .nonFiniteNumber(let value): return "JSON cannot represent the number \(value)"
        case .tooDeep: return "arrays and objects nested \(JSONWriter.maximumDepth) or more deep"
        }
    }
}
