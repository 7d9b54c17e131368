/// Writes ``JSONValue``s as compact JSON bytes, byte for byte what Foundation's
/// `JSONEncoder` writes with `[.sortedKeys, .withoutEscapingSlashes]`:
/// - object members sorted by the UTF-8 bytes of their keys;
/// - numbers with an integral value below 2^53 in magnitude as integers (`-0` for negative zero), others in Swift's
///   shortest round-trip form without a trailing `.0` (`0.25`, `1e-05`, `1e+16`);
/// - strings escape `"`, `\` and control characters (`\b \f \n \r \t`, others as `\u00xx`); `/` and non-ASCII
///   characters are written as they are.
public enum JSONWriter {
    /// Containers may nest up to, not including, this depth (the top-level container is at depth 1), as in
    /// `JSONEncoder`.
    public static let maximumDepth = 512

    /// The JSON bytes of `value`.
    public static func bytes(_ value: JSONValue) throws(JSONWriteError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        try write(value, into: &output, depth: 0)
        return output
    }

    /// Appends `value`, nested in `depth` containers already.
    package static func write(_ value: JSONValue, into output: inout [UInt8], depth: Int) throws(JSONWriteError) {
        switch value {
        case .null:
            output.appendStatic("null")
        case .bool(let flag):
            output.appendStatic(flag ? "true" : "false")
        case .number(let number):
            try writeNumber(number, into: &output)
        case .string(let text):
            writeString(text, into: &output)
        case .array(let elements):
            guard depth + 1 < maximumDepth else { throw .tooDeep }
            output.append(ASCII.openBracket)
            var first = true
            for element in elements {
                if !first { output.append(ASCII.comma) }
                first = false
                try write(element, into: &output, depth: depth + 1)
            }
            output.append(ASCII.closeBracket)
        case .object(let members):
            guard depth + 1 < maximumDepth else { throw .tooDeep }
            output.append(ASCII.openBrace)
            var first = true
            for (key, member) in sortedMembers(members) {
                if !first { output.append(ASCII.comma) }
                first = false
                writeString(key, into: &output)
                output.append(ASCII.colon)
                try write(member, into: &output, depth: depth + 1)
            }
            output.append(ASCII.closeBrace)
        }
    }

    /// The members of an object in output order: by the UTF-8 bytes of their keys.
    package static func sortedMembers<Value>(_ members: [String: Value]) -> [(key: String, value: Value)] {
        var sorted: [(key: String, value: Value)] = []
        sorted.reserveCapacity(members.count)
        var allASCII = true
        for member in members {
            if allASCII, !member.key.utf8.allSatisfy({ $0 < 0x80 }) { allASCII = false }
            sorted.append(member)
        }
        if allASCII {
            // For ASCII, String's ordering (of normalized scalars) is the byte order, and has a memcmp fast path.
            sorted.sort { $0.key < $1.key }
        } else {
            sorted.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        }
        return sorted
    }

    /// Appends a number as `JSONEncoder` spells it.
    package static func writeNumber(_ value: Double, into output: inout [UInt8]) throws(JSONWriteError) {
        guard value.isFinite else { throw .nonFiniteNumber(value) }
        if value.magnitude < 9_007_199_254_740_992, value.rounded(.towardZero) == value {
            if value == 0, value.sign == .minus {
                output.appendStatic("-0")
            } else {
                writeInteger(Int64(value), into: &output)
            }
            return
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        output.append(contentsOf: text.utf8)
    }

    /// Appends an integer in decimal.
    @inlinable
    package static func writeInteger<Integer: FixedWidthInteger>(_ value: Integer, into output: inout [UInt8]) {
        var magnitude = value.magnitude
        if magnitude < 10 {
            if value < 0 { output.append(ASCII.minus) }
            output.append(ASCII.zero + UInt8(truncatingIfNeeded: magnitude))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { digits in
            var index = digits.count
            repeat {
                index -= 1
                digits[index] = ASCII.zero + UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                index -= 1
                digits[index] = ASCII.minus
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: digits[index...]))
        }
    }

    /// Appends a string literal with the escapes `JSONEncoder` uses.
    @inlinable
    package static func writeString(_ text: String, into output: inout [UInt8]) {
        var text = text
        output.append(ASCII.quote)
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == ASCII.quote || byte == ASCII.backslash else { continue }
                if runStart < index {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                }
                writeEscape(byte, into: &output)
                runStart = index + 1
            }
            if runStart < utf8.count {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
            }
        }
        output.append(ASCII.quote)
    }

    @usableFromInline
    static func writeEscape(_ byte: UInt8, into output: inout [UInt8]) {
        switch byte {
        case ASCII.quote: output.appendStatic("\\\"")
        case ASCII.backslash: output.appendStatic("\\\\")
        case 0x08: output.appendStatic("\\b")
        case 0x0C: output.appendStatic("\\f")
        case ASCII.lineFeed: output.appendStatic("\\n")
        case ASCII.carriageReturn: output.appendStatic("\\r")
        case ASCII.tab: output.appendStatic("\\t")
        default:
            let hexDigits: StaticString = "0123456789abcdef"
            output.appendStatic("\\u00")
            output.append(hexDigits.utf8Start[Int(byte >> 4)])
            output.append(hexDigits.utf8Start[Int(byte & 0x0F)])
        }
    }
}

extension [UInt8] {
    /// Appends the UTF-8 bytes of a literal.
    @inlinable @inline(__always)
    package mutating func appendStatic(_ text: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
