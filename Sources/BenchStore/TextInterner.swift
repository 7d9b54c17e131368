/// The distinct texts of a column, each made into a `String` once: asked for the same bytes again, it answers the
/// `String` it made (a retain) instead of a new one (an allocation for a text of 16 bytes or more, and a UTF-8
/// check). For the report's walk of 10^6 attempts, whose agent names, job types and statuses are a handful of
/// texts repeated.
struct TextInterner {
    private var strings: [String] = []
    /// Every text's bytes, one after the other; text `i` is `bytes[ranges[i]]`.
    private var bytes: [UInt8] = []
    private var ranges: [Range<Int>] = []
    /// Open addressing on a hash of the bytes: the index of a text, or -1 for a free slot. A power of two, never
    /// more than half full.
    private var slots = [Int32](repeating: -1, count: 16)

    /// The `String` of `text` (invalid UTF-8 repaired, as `String(decoding:as:)` does).
    mutating func string(_ text: UnsafeRawBufferPointer) -> String {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(text)) & mask
        while slots[slot] >= 0 {
            let index = Int(slots[slot])
            if holds(index, text) { return strings[index] }
            slot = (slot + 1) & mask
        }
        let string = String(decoding: text, as: UTF8.self)
        let start = bytes.count
        bytes.append(contentsOf: text)
        ranges.append(start..<bytes.count)
        strings.append(string)
        slots[slot] = Int32(strings.count - 1)
        if strings.count * 2 > slots.count { grow() }
        return string
    }

    private func holds(_ index: Int, _ text: UnsafeRawBufferPointer) -> Bool {
        let range = ranges[index]
        guard range.count == text.count else { return false }
        return bytes.withUnsafeBytes { stored in
            SQLiteBinaryOrder.compare(UnsafeRawBufferPointer(rebasing: stored[range]), text) == 0
        }
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for index in ranges.indices {
            let hash = bytes.withUnsafeBytes { Self.hash(UnsafeRawBufferPointer(rebasing: $0[ranges[index]])) }
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }

    /// FNV-1a, 64 bits.
    private static func hash(_ text: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash
    }
}
