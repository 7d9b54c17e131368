extension JSONParser {
    /// Reads a number (at its `-` or first digit) and returns its correctly rounded value.
    mutating func parseNumber() throws(JSONReadError) -> Double {
        let start = position
        var digits = DecimalDigits()
        if bytes[position] == ASCII.minus { position += 1 }
        guard position < bytes.count else { throw JSONReadError(.unexpectedEnd, at: position) }
        let first = bytes[position]
        if first == ASCII.zero {
            position += 1
            if position < bytes.count, Self.isDigit(bytes[position]) { throw JSONReadError(.leadingZero, at: start) }
        } else if Self.isDigit(first) {
            while position < bytes.count, Self.isDigit(bytes[position]) {
                digits.append(bytes[position])
                position += 1
            }
        } else {
            throw JSONReadError(.unexpectedByte(first), at: position)
        }
        if position < bytes.count, bytes[position] == ASCII.period {
            position += 1
            try requireDigit()
            while position < bytes.count, Self.isDigit(bytes[position]) {
                digits.append(bytes[position])
                digits.decimalExponent -= 1
                position += 1
            }
        }
        var hasExponent = false
        if position < bytes.count, bytes[position] | 0x20 == ASCII.e {
            hasExponent = true
            position += 1
            var exponentIsNegative = false
            if position < bytes.count, bytes[position] == ASCII.minus || bytes[position] == ASCII.plus {
                exponentIsNegative = bytes[position] == ASCII.minus
                position += 1
            }
            try requireDigit()
            var exponent = 0
            while position < bytes.count, Self.isDigit(bytes[position]) {
                // Beyond any double's range either way; capping keeps the arithmetic in bounds.
                exponent = min(exponent * 10 + Int(bytes[position] - ASCII.zero), 1_000_000)
                position += 1
            }
            digits.decimalExponent += exponentIsNegative ? -exponent : exponent
        }
        let text = UnsafeBufferPointer(rebasing: bytes[start..<position])
        let value = digits.exactValue(negative: text[0] == ASCII.minus) ?? Self.correctlyRounded(text)
        guard value.isFinite else { throw JSONReadError(.numberNotRepresentable, at: start) }
        if value == 0, hasExponent || digits.hasNonZeroDigit {
            throw JSONReadError(.numberNotRepresentable, at: start)
        }
        return value
    }

    private mutating func requireDigit() throws(JSONReadError) {
        guard position < bytes.count else { throw JSONReadError(.unexpectedEnd, at: position) }
        guard Self.isDigit(bytes[position]) else { throw JSONReadError(.unexpectedByte(bytes[position]), at: position) }
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool {
        byte &- ASCII.zero < 10
    }

    /// The general case: the C library's correctly rounded conversion of the validated number text.
    private static func correctlyRounded(_ text: UnsafeBufferPointer<UInt8>) -> Double {
        Double(String(decoding: text, as: UTF8.self)) ?? .nan
    }
}

/// The significant digits of a number while they fit a `Double` exactly, for the fast exact conversion.
private struct DecimalDigits {
    private static let exactLimit: UInt64 = 1 << 53
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ]

    var mantissa: UInt64 = 0
    /// False once the digits no longer fit in 53 bits.
    var isExact = true
    var hasNonZeroDigit = false
    var decimalExponent = 0

    @inline(__always)
    mutating func append(_ digitByte: UInt8) {
        let digit = UInt64(digitByte &- ASCII.zero)
        if digit != 0 { hasNonZeroDigit = true }
        guard isExact else { return }
        mantissa = mantissa &* 10 &+ digit
        if mantissa > Self.exactLimit { isExact = false }
    }

    /// mantissa × 10^exponent with one rounding (both factors exact), or nil when that is not guaranteed.
    func exactValue(negative: Bool) -> Double? {
        guard isExact, (-22...22).contains(decimalExponent) else { return nil }
        var value = Double(mantissa)
        if decimalExponent < 0 {
            value /= Self.powersOfTen[-decimalExponent]
        } else if decimalExponent > 0 {
            value *= Self.powersOfTen[decimalExponent]
        }
        return negative ? -value : value
    }
}
