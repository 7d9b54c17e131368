import BenchJSON
extension KeyedDecodingContainer {
    /// Throws a `dataCorrupted` error naming `key` unless `condition` holds; message decoding turns it into
    /// ``WireError/invalidField(type:field:reason:)``.
    func require(_ condition: Bool, _ key: Key, _ reason: String) throws {
        if !condition {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: reason)
        }
    }
}
