/// 64-bit FNV-1a, a hash that is the same in every process and on every platform.
///
/// Swift's `Hasher` is seeded randomly per process, so it cannot derive the per-country dataset seeds that must
/// be identical across runs and machines.
enum StableHash {
    /// The FNV-1a hash of the UTF-8 bytes of `parts`, each part followed by a 0x1F unit separator so that
    /// `["ab", "c"]` and `["a", "bc"]` hash differently.
    static func fnv1a(_ parts: String...) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            for byte in part.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
            hash ^= 0x1F
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
