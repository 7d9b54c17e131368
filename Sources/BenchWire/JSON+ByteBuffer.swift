import BenchJSON
import NIOCore

extension JSONReader {
    /// Parses the readable bytes of `buffer` as one JSON text.
    public static func value(from buffer: ByteBuffer) throws(JSONReadError) -> JSONValue {
        let outcome = buffer.withUnsafeReadableBytes { raw in
            Result { () throws(JSONReadError) -> JSONValue in try value(from: raw) }
        }
        return try outcome.get()
    }
}

extension JSONWriter {
    /// Appends `value` to `byteBuffer`; on error nothing is appended.
    public static func write(_ value: JSONValue, into byteBuffer: inout ByteBuffer) throws(JSONWriteError) {
        byteBuffer.writeBytes(try bytes(value))
    }
}
