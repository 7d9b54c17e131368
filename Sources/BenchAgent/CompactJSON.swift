import BenchWire

/// Writes a ``JSONValue`` as compact JSON text without going through `Encodable`: the outbox stores every
/// result's outcome, and `JSONEncoder` made that the agent's largest cost of its own.
///
/// Numbers with an integral value below 2^53 are written as integers, others in Swift's shortest round-trip form
/// (`0.25`, `1e-05`), both valid JSON that decodes back to the same `Double`. Strings escape `"`, `\` and control
/// characters. Object members keep dictionary order (member order is not significant).
enum CompactJSON {
    /// A number JSON cannot spell (NaN or infinite).
    struct NonFiniteNumber: Error, CustomStringConvertible {
        var description: String { "JSON cannot represent NaN or infinity" }
    }

    static func text(_ value: JSONValue) throws(NonFiniteNumber) -> String {
        var output = ""
        output.reserveCapacity(512)
        try write(value, to: &output)
        return output
    }

    private static func write(_ value: JSONValue, to output: inout String) throws(NonFiniteNumber) {
        switch value {
        case .null:
            output += "null"
        case .bool(let flag):
            output += flag ? "true" : "false"
        case .number(let number):
            guard number.isFinite else { throw NonFiniteNumber() }
            if number == number.rounded(), abs(number) < 9_007_199_254_740_992 {
                output += String(Int64(number))
            } else {
                output += number.description
            }
        case .string(let text):
            writeString(text, to: &output)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                try write(element, to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            var first = true
            for (key, member) in members {
                if !first { output += "," }
                first = false
                writeString(key, to: &output)
                output += ":"
                try write(member, to: &output)
            }
            output += "}"
        }
    }

    private static func writeString(_ text: String, to output: inout String) {
        output += "\""
        var plainStart = text.unicodeScalars.startIndex
        var index = plainStart
        let scalars = text.unicodeScalars
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let escape: String?
            switch scalar {
            case "\"": escape = "\\\""
            case "\\": escape = "\\\\"
            case "\n": escape = "\\n"
            case "\r": escape = "\\r"
            case "\t": escape = "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                escape = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: escape = nil
            }
            if let escape {
                output.unicodeScalars.append(contentsOf: scalars[plainStart..<index])
                output += escape
                plainStart = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        output.unicodeScalars.append(contentsOf: scalars[plainStart..<scalars.endIndex])
        output += "\""
    }
}
