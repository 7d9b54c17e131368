import BenchJSON

/// The outbox's JSON writer of earlier versions (`CompactJSON`, removed when the agent moved to BenchJSON's writer),
/// kept verbatim in the tests: outboxes it wrote must still be read with nothing lost after an upgrade. Members in
/// dictionary order, integral numbers below 2^53 as integers (negative zero as `0`), others in Swift's shortest
/// form, only `"`, `\`, `\n`, `\r`, `\t` and other control characters escaped.
enum LegacyCompactJSON {
    /// A number JSON cannot spell (NaN or infinite).
    struct NonFiniteNumber: Error, CustomStringConvertible {
        var description: String { "JSON cannot represent NaN or infinity" }
    }

    static func text(_ value: JSONValue) throws(NonFiniteNumber) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(512)
        try write(value, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static func write(_ value: JSONValue, to output: inout [UInt8]) throws(NonFiniteNumber) {
        switch value {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool(let flag):
            output.append(contentsOf: flag ? "true".utf8 : "false".utf8)
        case .number(let number):
            guard number.isFinite else { throw NonFiniteNumber() }
            if number == number.rounded(), abs(number) < 9_007_199_254_740_992 {
                output.append(contentsOf: String(Int64(number)).utf8)
            } else {
                output.append(contentsOf: number.description.utf8)
            }
        case .string(let text):
            writeString(text, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                try write(element, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in members {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                writeString(key, to: &output)
                output.append(UInt8(ascii: ":"))
                try write(member, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func writeString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        // Bytes of multi-byte UTF-8 sequences are all >= 0x80, so only ASCII bytes can need an escape.
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): output.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): output.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): output.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                let hexDigits = Array("0123456789abcdef".utf8)
                output.append(contentsOf: #"\u00"#.utf8)
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
