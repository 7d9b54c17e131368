extension JSONReader {
    /// Parses `bytes` as one JSON text and, when it is an object, hands each of its members to `member` in text
    /// order without building the object's dictionary: the key as unescaped, validated UTF-8 (valid only during the
    /// call) and the value as a ``JSONValue`` (nested objects and arrays built as ``value(from:)`` builds them).
    /// Returns false, having called `member` never, when the text is valid JSON but not an object.
    ///
    /// Accepts and refuses exactly what ``value(from:)`` does, with the same errors. Duplicate keys are all handed
    /// over: a caller that wants ``value(from:)``'s meaning keeps the first.
    public static func forEachMember(
        ofObjectIn bytes: UnsafeRawBufferPointer,
        _ member: (_ key: UnsafeBufferPointer<UInt8>, _ value: JSONValue) -> Void
    ) throws(JSONReadError) -> Bool {
        var parser = JSONParser(bytes: bytes.assumingMemoryBound(to: UInt8.self))
        return try parser.parseTopLevelMembers(member)
    }
}

extension JSONParser {
    /// ``JSONReader/forEachMember(ofObjectIn:_:)``.
    mutating func parseTopLevelMembers(
        _ member: (UnsafeBufferPointer<UInt8>, JSONValue) -> Void
    ) throws(JSONReadError) -> Bool {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == ASCII.openBrace else {
            _ = try parseDocument()
            return false
        }
        try enterContainer()
        skipWhitespace()
        if position < bytes.count, bytes[position] == ASCII.closeBrace {
            position += 1
        } else {
            while true {
                skipWhitespace()
                guard position < bytes.count else { throw JSONReadError(.unexpectedEnd, at: position) }
                guard bytes[position] == ASCII.quote else {
                    throw JSONReadError(.unexpectedByte(bytes[position]), at: position)
                }
                if let key = try parsePlainKey() {
                    try expectSeparator(ASCII.colon)
                    member(key, try parseValue())
                } else {
                    var key = try parseString()
                    try expectSeparator(ASCII.colon)
                    let value = try parseValue()
                    key.withUTF8 { member($0, value) }
                }
                if try endOfContainer(closedBy: ASCII.closeBrace) { break }
            }
        }
        skipWhitespace()
        guard position == bytes.count else { throw JSONReadError(.trailingContent, at: position) }
        return true
    }

    /// A key without escapes (at its opening quote), as the bytes between its quotes, validated as UTF-8 as
    /// `parseString` validates them; nil, with the position left at the quote, when the key has an escape (the
    /// caller reads it with `parseString`).
    private mutating func parsePlainKey() throws(JSONReadError) -> UnsafeBufferPointer<UInt8>? {
        let quote = position
        let start = position + 1
        var end = start
        var isASCII = true
        while end < bytes.count {
            let byte = bytes[end]
            if byte == ASCII.quote { break }
            if byte == ASCII.backslash { return nil }
            if byte < 0x20 { throw JSONReadError(.controlCharacterInString, at: end) }
            if byte >= 0x80 { isASCII = false }
            end += 1
        }
        guard end < bytes.count else {
            position = quote
            return nil // unterminated: parseString reports it as it does elsewhere
        }
        let content = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if !isASCII, String(validating: content, as: UTF8.self) == nil {
            throw JSONReadError(.invalidUTF8, at: start)
        }
        position = end + 1
        return content
    }
}
