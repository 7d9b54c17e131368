/// A byte-oriented LZ77 compressor in the LZ4 block format (no external library is needed, and zlib is not
/// exposed by Foundation on Linux).
///
///     sequence := token [literal-length bytes] literals offset(2, LE) [match-length bytes]
///     token    := (literal length: 4 bits, 15 = more bytes follow)(match length - 4: 4 bits, 15 = more)
///
/// The last sequence has literals only. Matches are found with a 16-bit hash of 4-byte prefixes.
enum LZCompressor {
    static let minimumMatch = 4
    static let maxOffset = 65_535
    private static let hashBits = 16

    /// Compresses `input` into an LZ4-style block.
    static func compress(_ input: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 2 + 16)
        var table = [Int](repeating: -1, count: 1 << hashBits)
        var anchor = 0
        var position = 0
        let limit = input.count - minimumMatch
        while position <= limit - 1 {
            let sequence = read32(input, position)
            let hash = Int((sequence &* 2_654_435_761) >> (32 - UInt32(hashBits)))
            let candidate = table[hash]
            table[hash] = position
            guard candidate >= 0, position - candidate <= maxOffset, read32(input, candidate) == sequence else {
                position += 1
                continue
            }
            var length = minimumMatch
            while position + length < input.count, input[candidate + length] == input[position + length] {
                length += 1
            }
            writeSequence(
                into: &output, literals: input[anchor..<position], offset: position - candidate, matchLength: length)
            position += length
            anchor = position
        }
        writeSequence(into: &output, literals: input[anchor..<input.count], offset: 0, matchLength: 0)
        return output
    }

    /// Restores the bytes of a block made by `compress`; a malformed block throws instead of trapping.
    static func decompress(_ block: [UInt8], expectedSize: Int) throws(DataProcessingError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(expectedSize)
        var position = 0
        func byte() throws(DataProcessingError) -> UInt8 {
            guard position < block.count else { throw DataProcessingError(reason: "truncated LZ block") }
            defer { position += 1 }
            return block[position]
        }
        func extendedLength(_ start: Int) throws(DataProcessingError) -> Int {
            var length = start
            guard start == 15 else { return length }
            while true {
                let next = try byte()
                length += Int(next)
                guard length <= expectedSize else { throw DataProcessingError(reason: "LZ length past end") }
                if next != 255 { return length }
            }
        }
        while position < block.count {
            let token = try byte()
            let literalLength = try extendedLength(Int(token >> 4))
            guard position + literalLength <= block.count, output.count + literalLength <= expectedSize else {
                throw DataProcessingError(reason: "LZ literals past end")
            }
            output.append(contentsOf: block[position..<position + literalLength])
            position += literalLength
            if position == block.count { break }
            let offset = Int(try byte()) | Int(try byte()) << 8
            let matchLength = try extendedLength(Int(token & 0x0F)) + minimumMatch
            guard offset > 0, offset <= output.count, output.count + matchLength <= expectedSize else {
                throw DataProcessingError(reason: "LZ match out of range")
            }
            let start = output.count - offset
            for index in 0..<matchLength { output.append(output[start + index]) }
        }
        guard output.count == expectedSize else {
            throw DataProcessingError(reason: "LZ block restored \(output.count) bytes, expected \(expectedSize)")
        }
        return output
    }

    private static func read32(_ bytes: [UInt8], _ index: Int) -> UInt32 {
        UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16
            | UInt32(bytes[index + 3]) << 24
    }

    private static func writeSequence(
        into output: inout [UInt8], literals: ArraySlice<UInt8>, offset: Int, matchLength: Int
    ) {
        let literalNibble = min(literals.count, 15)
        let matchNibble = matchLength == 0 ? 0 : min(matchLength - minimumMatch, 15)
        output.append(UInt8(literalNibble << 4 | matchNibble))
        if literals.count >= 15 { writeLength(literals.count - 15, into: &output) }
        output.append(contentsOf: literals)
        guard matchLength > 0 else { return }
        output.append(UInt8(offset & 0xFF))
        output.append(UInt8(offset >> 8))
        if matchLength - minimumMatch >= 15 { writeLength(matchLength - minimumMatch - 15, into: &output) }
    }

    private static func writeLength(_ remaining: Int, into output: inout [UInt8]) {
        var left = remaining
        while left >= 255 {
            output.append(255)
            left -= 255
        }
        output.append(UInt8(left))
    }
}

/// The data-processing endpoint could not encode or verify its dataset.
struct DataProcessingError: Error, Equatable, CustomStringConvertible {
    var reason: String
    var description: String { "data processing: \(reason)" }
}
