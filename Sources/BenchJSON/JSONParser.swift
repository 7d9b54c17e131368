/// The recursive-descent parser behind ``JSONReader``; one instance reads one text.
struct JSONParser {
    /// The text being read.
    let bytes: UnsafeBufferPointer<UInt8>
    /// Offset of the next byte to read.
    var position = 0
    private var depth = 0
    /// Unescaped bytes of the string being read, reused between strings.
    private var scratch: [UInt8] = []
    /// Members of the objects being read, innermost last; a finished object's members become its dictionary at
    /// its final size (no rehashing while growing) and leave the stack, whose storage is reused.
    private var pendingMembers: [(key: String, value: JSONValue)] = []
    /// Elements of the arrays being read, innermost last.
    private var pendingElements: [JSONValue] = []

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(JSONReadError) -> JSONValue {
        let value = try parseValue()
        skipWhitespace()
        guard position == bytes.count else { throw JSONReadError(.trailingContent, at: position) }
        return value
    }

    // MARK: Values

    mutating func parseValue() throws(JSONReadError) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw JSONReadError(.unexpectedEnd, at: position) }
        switch bytes[position] {
        case ASCII.quote: return .string(try parseString())
        case ASCII.openBrace: return try parseObject()
        case ASCII.openBracket: return try parseArray()
        case ASCII.t:
            try expectLiteral("true")
            return .bool(true)
        case ASCII.f:
            try expectLiteral("false")
            return .bool(false)
        case ASCII.n:
            try expectLiteral("null")
            return .null
        case ASCII.minus, ASCII.zero...ASCII.nine: return .number(try parseNumber())
        case let byte: throw JSONReadError(.unexpectedByte(byte), at: position)
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONReadError) {
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for byte in expected {
            guard position < bytes.count else { throw JSONReadError(.unexpectedEnd, at: position) }
            guard bytes[position] == byte else { throw JSONReadError(.unexpectedByte(bytes[position]), at: position) }
            position += 1
        }
    }

    private mutating func parseObject() throws(JSONReadError) -> JSONValue {
        try enterContainer()
        skipWhitespace()
        if position < bytes.count, bytes[position] == ASCII.closeBrace {
            position += 1
            depth -= 1
            return .object([:])
        }
        let base = pendingMembers.count
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw JSONReadError(.unexpectedEnd, at: position) }
            guard bytes[position] == ASCII.quote else {
                throw JSONReadError(.unexpectedByte(bytes[position]), at: position)
            }
            let key = try parseString()
            try expectSeparator(ASCII.colon)
            pendingMembers.append((key, try parseValue()))
            if try endOfContainer(closedBy: ASCII.closeBrace) { break }
        }
        var members = [String: JSONValue](minimumCapacity: pendingMembers.count - base)
        for (key, value) in pendingMembers[base...] {
            // Inserts only if absent: the first of duplicate keys wins.
            Self.keepExisting(&members[key, default: value])
        }
        pendingMembers.removeSubrange(base...)
        return .object(members)
    }

    private mutating func parseArray() throws(JSONReadError) -> JSONValue {
        try enterContainer()
        skipWhitespace()
        if position < bytes.count, bytes[position] == ASCII.closeBracket {
            position += 1
            depth -= 1
            return .array([])
        }
        let base = pendingElements.count
        while true {
            pendingElements.append(try parseValue())
            if try endOfContainer(closedBy: ASCII.closeBracket) { break }
        }
        let elements = Array(pendingElements[base...])
        pendingElements.removeSubrange(base...)
        return .array(elements)
    }

    @inline(__always)
    private static func keepExisting(_ value: inout JSONValue) {}

    /// Consumes the opening bracket or brace and counts the level.
    mutating func enterContainer() throws(JSONReadError) {
        depth += 1
        guard depth <= JSONReader.maximumDepth else { throw JSONReadError(.tooDeep, at: position) }
        position += 1
    }

    /// After a member or element: consumes `,` (returns false) or `closer` (returns true, leaves the level).
    mutating func endOfContainer(closedBy closer: UInt8) throws(JSONReadError) -> Bool {
        skipWhitespace()
        guard position < bytes.count else { throw JSONReadError(.unexpectedEnd, at: position) }
        let byte = bytes[position]
        position += 1
        if byte == ASCII.comma { return false }
        if byte == closer {
            depth -= 1
            return true
        }
        throw JSONReadError(.unexpectedByte(byte), at: position - 1)
    }

    mutating func expectSeparator(_ separator: UInt8) throws(JSONReadError) {
        skipWhitespace()
        guard position < bytes.count else { throw JSONReadError(.unexpectedEnd, at: position) }
        guard bytes[position] == separator else { throw JSONReadError(.unexpectedByte(bytes[position]), at: position) }
        position += 1
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case ASCII.space, ASCII.lineFeed, ASCII.carriageReturn, ASCII.tab: position += 1
            default: return
            }
        }
    }

    // MARK: Strings

    /// Reads a string starting at its opening quote.
    mutating func parseString() throws(JSONReadError) -> String {
        position += 1
        let start = position
        var isASCII = true
        while position < bytes.count {
            let byte = bytes[position]
            if byte == ASCII.quote {
                let content = UnsafeBufferPointer(rebasing: bytes[start..<position])
                position += 1
                if isASCII { return String(decoding: content, as: UTF8.self) }
                guard let text = String(validating: content, as: UTF8.self) else {
                    throw JSONReadError(.invalidUTF8, at: start)
                }
                return text
            }
            if byte == ASCII.backslash { return try parseEscapedString(from: start) }
            if byte < 0x20 { throw JSONReadError(.controlCharacterInString, at: position) }
            if byte >= 0x80 { isASCII = false }
            position += 1
        }
        throw JSONReadError(.unexpectedEnd, at: position)
    }

    /// Continues a string at its first backslash, unescaping into `scratch`.
    private mutating func parseEscapedString(from start: Int) throws(JSONReadError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case ASCII.quote:
                position += 1
                // An escape always yields a complete UTF-8 sequence, so validating the whole equals validating
                // each raw run between escapes.
                guard let text = String(validating: scratch, as: UTF8.self) else {
                    throw JSONReadError(.invalidUTF8, at: start)
                }
                return text
            case ASCII.backslash:
                try appendEscape()
            case 0..<0x20:
                throw JSONReadError(.controlCharacterInString, at: position)
            default:
                scratch.append(byte)
                position += 1
            }
        }
        throw JSONReadError(.unexpectedEnd, at: position)
    }

    /// Reads one escape sequence (at its backslash) and appends what it stands for to `scratch`.
    private mutating func appendEscape() throws(JSONReadError) {
        let escapeStart = position
        position += 1
        guard position < bytes.count else { throw JSONReadError(.unexpectedEnd, at: position) }
        let letter = bytes[position]
        position += 1
        switch letter {
        case ASCII.quote, ASCII.backslash, ASCII.slash: scratch.append(letter)
        case ASCII.b: scratch.append(0x08)
        case ASCII.f: scratch.append(0x0C)
        case ASCII.n: scratch.append(ASCII.lineFeed)
        case ASCII.r: scratch.append(ASCII.carriageReturn)
        case ASCII.t: scratch.append(ASCII.tab)
        case ASCII.u:
            let unit = try readHexQuad()
            switch unit {
            case 0xD800...0xDBFF:
                guard position + 1 < bytes.count, bytes[position] == ASCII.backslash, bytes[position + 1] == ASCII.u
                else { throw JSONReadError(.loneSurrogate, at: escapeStart) }
                position += 2
                let low = try readHexQuad()
                guard (0xDC00...0xDFFF).contains(low) else { throw JSONReadError(.loneSurrogate, at: escapeStart) }
                appendUTF8(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
            case 0xDC00...0xDFFF:
                throw JSONReadError(.loneSurrogate, at: escapeStart)
            default:
                appendUTF8(unit)
            }
        default:
            throw JSONReadError(.invalidEscape, at: escapeStart)
        }
    }

    private mutating func readHexQuad() throws(JSONReadError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw JSONReadError(.unexpectedEnd, at: bytes.count) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case ASCII.zero...ASCII.nine: digit = byte - ASCII.zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONReadError(.invalidEscape, at: position)
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// Appends a scalar value (never a surrogate) as UTF-8.
    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(truncatingIfNeeded: scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(truncatingIfNeeded: 0xC0 | scalar >> 6))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(truncatingIfNeeded: 0xE0 | scalar >> 12))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(truncatingIfNeeded: 0xF0 | scalar >> 18))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
        }
    }
}
