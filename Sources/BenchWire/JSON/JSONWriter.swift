import NIOCore

/// Writes ``JSONValue``s as compact JSON straight into a `ByteBuffer`, byte for byte what Foundation's
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

    /// Appends `value` to `buffer`. On error, part of the value may have been written.
    public static func write(_ value: JSONValue, into buffer: inout ByteBuffer) throws(JSONWriteError) {
        try write(value, into: &buffer, depth: 0)
    }

    /// Appends `value`, nested in `depth` containers already.
    static func write(_ value: JSONValue, into buffer: inout ByteBuffer, depth: Int) throws(JSONWriteError) {
        switch value {
        case .null:
            buffer.writeStaticString("null")
        case .bool(let flag):
            buffer.writeStaticString(flag ? "true" : "false")
        case .number(let number):
            try writeNumber(number, into: &buffer)
        case .string(let text):
            writeString(text, into: &buffer)
        case .array(let elements):
            guard depth + 1 < maximumDepth else { throw .tooDeep }
            buffer.writeInteger(ASCII.openBracket)
            var first = true
            for element in elements {
                if !first { buffer.writeInteger(ASCII.comma) }
                first = false
                try write(element, into: &buffer, depth: depth + 1)
            }
            buffer.writeInteger(ASCII.closeBracket)
        case .object(let members):
            guard depth + 1 < maximumDepth else { throw .tooDeep }
            buffer.writeInteger(ASCII.openBrace)
            var first = true
            for (key, member) in sortedMembers(members) {
                if !first { buffer.writeInteger(ASCII.comma) }
                first = false
                writeString(key, into: &buffer)
                buffer.writeInteger(ASCII.colon)
                try write(member, into: &buffer, depth: depth + 1)
            }
            buffer.writeInteger(ASCII.closeBrace)
        }
    }

    /// The members of an object in output order: by the UTF-8 bytes of their keys.
    static func sortedMembers<Value>(_ members: [String: Value]) -> [(key: String, value: Value)] {
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
    static func writeNumber(_ value: Double, into buffer: inout ByteBuffer) throws(JSONWriteError) {
        guard value.isFinite else { throw .nonFiniteNumber(value) }
        if value.magnitude < 9_007_199_254_740_992, value.rounded(.towardZero) == value {
            if value == 0, value.sign == .minus {
                buffer.writeStaticString("-0")
            } else {
                writeInteger(Int64(value), into: &buffer)
            }
            return
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        buffer.writeString(text)
    }

    /// Appends an integer in decimal.
    static func writeInteger<Integer: FixedWidthInteger>(_ value: Integer, into buffer: inout ByteBuffer) {
        var magnitude = value.magnitude
        if magnitude < 10 {
            if value < 0 { buffer.writeInteger(ASCII.minus) }
            buffer.writeInteger(ASCII.zero + UInt8(truncatingIfNeeded: magnitude))
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
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(digits)[index...]))
        }
    }

    /// Appends a string literal with the escapes `JSONEncoder` uses.
    static func writeString(_ text: String, into buffer: inout ByteBuffer) {
        var text = text
        buffer.writeInteger(ASCII.quote)
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == ASCII.quote || byte == ASCII.backslash else { continue }
                if runStart < index {
                    buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[runStart..<index]))
                }
                writeEscape(byte, into: &buffer)
                runStart = index + 1
            }
            if runStart < utf8.count {
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[runStart...]))
            }
        }
        buffer.writeInteger(ASCII.quote)
    }

    private static func writeEscape(_ byte: UInt8, into buffer: inout ByteBuffer) {
        switch byte {
        case ASCII.quote: buffer.writeStaticString("\\\"")
        case ASCII.backslash: buffer.writeStaticString("\\\\")
        case 0x08: buffer.writeStaticString("\\b")
        case 0x0C: buffer.writeStaticString("\\f")
        case ASCII.lineFeed: buffer.writeStaticString("\\n")
        case ASCII.carriageReturn: buffer.writeStaticString("\\r")
        case ASCII.tab: buffer.writeStaticString("\\t")
        default:
            let hexDigits: StaticString = "0123456789abcdef"
            buffer.writeStaticString("\\u00")
            buffer.writeInteger(hexDigits.utf8Start[Int(byte >> 4)])
            buffer.writeInteger(hexDigits.utf8Start[Int(byte & 0x0F)])
        }
    }
}
