import BenchJSON
import BenchProtocol
import BenchWire
import Foundation

/// Writes a ``JSONValue`` as valid JSON text spelled in random but equivalent ways: whitespace between tokens,
/// member order, optional and alternative escapes (`\/`, `\u00e9`, surrogate pairs), and other spellings of the
/// same number (`%.17g`, 25 significant digits, `1.000`, `1e0`, `10e-1`).
struct JSONSpelling {
    var random: SplitMix64

    mutating func text(_ value: JSONValue) -> String {
        var output = ""
        write(value, to: &output)
        return whitespace() + output + whitespace()
    }

    private mutating func whitespace() -> String {
        ["", "", "", " ", "\n", "\t", "\r\n  "][random.next(below: 7)]
    }

    private mutating func write(_ value: JSONValue, to output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .number(let number): output += spell(number)
        case .string(let text): output += spell(text)
        case .array(let elements):
            output += "[" + whitespace()
            for (index, element) in elements.enumerated() {
                if index > 0 { output += whitespace() + "," + whitespace() }
                write(element, to: &output)
            }
            output += whitespace() + "]"
        case .object(let members):
            output += "{" + whitespace()
            var shuffled = Array(members)
            for index in shuffled.indices.reversed() where index > 0 {
                shuffled.swapAt(index, random.next(below: index + 1))
            }
            for (index, member) in shuffled.enumerated() {
                if index > 0 { output += whitespace() + "," + whitespace() }
                output += spell(member.key) + whitespace() + ":" + whitespace()
                write(member.value, to: &output)
            }
            output += whitespace() + "}"
        }
    }

    mutating func spell(_ number: Double) -> String {
        switch random.next(below: 6) {
        case 0: return String(format: "%.17g", number)
        case 1: return String(format: "%.25e", number)
        case 2: return String(format: "%.3E", number).replacingOccurrences(of: "E+", with: "E")
        case 3 where number.magnitude < 1e15 && number.rounded() == number:
            let integer = Int(number)
            return ["\(integer).000", "\(integer)e0", "\(integer)0e-1", "\(integer)E+0"][random.next(below: 4)]
        default:
            var text = number.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            return text
        }
    }

    mutating func spell(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            let escapeAnyway = random.next(below: 4) == 0
            switch scalar {
            case "\"": output += escapeAnyway ? "\\u0022" : "\\\""
            case "\\": output += escapeAnyway ? "\\u005C" : "\\\\"
            case "/": output += escapeAnyway ? "\\/" : "/"
            case "\n": output += escapeAnyway ? "\\u000a" : "\\n"
            case "\t": output += escapeAnyway ? "\\u0009" : "\\t"
            case "\r": output += "\\r"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case _ where scalar.value < 0x20 || escapeAnyway:
                for unit in String(scalar).utf16 {
                    let hex = String(unit, radix: 16, uppercase: random.next(below: 2) == 0)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }
}
