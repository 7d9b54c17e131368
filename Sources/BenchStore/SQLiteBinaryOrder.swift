import Foundation

/// SQLite's `BINARY` collation in Swift: the order in which an index on a text column walks its keys. Swift's own
/// `String` comparison is by Unicode canonical equivalence, which differs (e.g. "é" precomposed against "e" plus a
/// combining accent), so walks merged in an index's key order compare with this.
enum SQLiteBinaryOrder {
    /// `memcmp` of the two texts' UTF-8, the shorter first on a common prefix: negative, zero or positive.
    static func compare(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer) -> Int {
        let common = min(x.count, y.count)
        if common > 0, let left = x.baseAddress, let right = y.baseAddress {
            let order = memcmp(left, right, common)
            if order != 0 { return Int(order) }
        }
        return x.count - y.count
    }

    /// ``compare(_:_:)-(UnsafeRawBufferPointer,_)`` of two strings' UTF-8.
    static func compare(_ a: String, _ b: String) -> Int {
        var a = a
        var b = b
        return a.withUTF8 { x in b.withUTF8 { y in compare(UnsafeRawBufferPointer(x), UnsafeRawBufferPointer(y)) } }
    }
}
