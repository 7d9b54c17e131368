import Foundation

/// The UTF-8 bytes of an export being written (``MetricsExport``): numbers, timestamps and cells appended as bytes,
/// without a `String` per value, and handed out in chunks.
///
/// A `TextOutputStream` so that `Double.write(to:)` (the digits of `"\(value)"`, the shortest that round-trip) lands
/// here without a `String` in between.
struct ExportBytes: TextOutputStream {
    var bytes: [UInt8] = []
    /// The last timestamp written and its text: a collection's rows share their day's timestamp, so most rows
    /// copy it instead of spelling it again.
    private var lastTimestamp: (seconds: Double, text: [UInt8])?

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    mutating func write(_ string: String) {
        bytes.append(contentsOf: string.utf8)
    }

    /// What `Double.write(to:)` hands its target: ASCII digits in a buffer of the standard library's.
    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: buffer)
    }

    mutating func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func append(_ other: [UInt8]) {
        bytes.append(contentsOf: other)
    }

    mutating func append(byte: UInt8) {
        bytes.append(byte)
    }

    /// `"\(value)"`.
    mutating func append(integer value: Int) {
        appendPadded(value, width: 1)
    }

    /// `%0*d`: `value` in decimal, zero-padded on the left to `width` digits (a minus sign first when negative).
    mutating func appendPadded(_ value: Int, width: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var divisor: UInt = 1
        var count = 1
        while magnitude / divisor >= 10 {
            divisor *= 10
            count += 1
        }
        if count < width { bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - count)) }
        while divisor > 0 {
            bytes.append(UInt8(truncatingIfNeeded: magnitude / divisor % 10) + UInt8(ascii: "0"))
            divisor /= 10
        }
    }

    /// ``MetricsExport/pythonFloat(_:)``.
    mutating func append(pythonFloat value: Double) {
        guard value.isFinite else {
            return append(value.isNaN ? "NaN" : (value > 0 ? "Infinity" : "-Infinity") as StaticString)
        }
        let start = bytes.count
        value.write(to: &self)
        for index in start..<bytes.count where bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: "e") {
            return
        }
        append(".0")
    }

    /// ``MetricsExport/isoTimestamp(_:)``.
    mutating func append(isoTimestamp date: Date) {
        let seconds = date.timeIntervalSince1970
        if let last = lastTimestamp, last.seconds == seconds {
            return bytes.append(contentsOf: last.text)
        }
        let start = bytes.count
        spell(isoTimestampSeconds: seconds)
        lastTimestamp = (seconds, Array(bytes[start...]))  // a copy: a slice would share (and copy on write) the buffer
    }

    private mutating func spell(isoTimestampSeconds seconds: Double) {
        let whole = seconds.rounded(.down)
        let micros = Int(((seconds - whole) * 1_000_000).rounded())
        // Civil date of the whole second in the proleptic Gregorian calendar (UTC): integer arithmetic, no Calendar
        // (a report writes one timestamp per row and per format).
        let total = Int(whole)
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let secondOfDay = total - days * 86_400
        let civil = MetricsExport.civilDate(daysSince1970: days)
        appendPadded(civil.year, width: 4)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(civil.month, width: 2)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(civil.day, width: 2)
        bytes.append(UInt8(ascii: "T"))
        appendPadded(secondOfDay / 3600, width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(secondOfDay / 60 % 60, width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(secondOfDay % 60, width: 2)
        if micros != 0 && micros != 1_000_000 {
            bytes.append(UInt8(ascii: "."))
            appendPadded(micros, width: 6)
        }
        append("+00:00")
    }

    /// ``MetricsExport/jsonString(_:)``.
    mutating func append(jsonString text: String) {
        // Most strings (ids, types, countries, agents) are printable ASCII without quote or backslash: their bytes
        // as they are, copied from the string's own buffer.
        var text = text
        let plain = text.withUTF8 { utf8 in
            guard utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) else { return false }
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: "\""))
            return true
        }
        if !plain { append(MetricsExport.jsonString(text)) }
    }

    /// ``MetricsExport/csvCell(_:)``.
    mutating func append(csvCell text: String) {
        var text = text
        let plain = text.withUTF8 { utf8 in
            guard !utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if !plain { append(MetricsExport.csvCell(text)) }
    }
}
