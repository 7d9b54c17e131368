/// Encodes a `DailyTable` column by column, the way Parquet-like formats do, before general compression.
///
///     table  := varint(rows) varint(columns) column*
///     column := kind(1) payload
///     kind 0 (dictionary + run-length) : varint(run count) (varint(value index) varint(run length))*
///     kind 1 (delta + zigzag varint)   : varint(zigzag(v[0])) varint(zigzag(v[i] - v[i-1]))*
///
/// The geo column is dictionary + run-length encoded; integer columns are delta + zigzag + LEB128 varint.
enum ColumnarEncoder {
    static func encode(_ table: DailyTable) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(table.rows * 12)
        writeVarint(UInt64(table.rows), into: &output)
        writeVarint(UInt64(1 + table.integerColumns.count), into: &output)
        output.append(0)
        let runs = runLengths(table.geoIndex)
        writeVarint(UInt64(runs.count), into: &output)
        for run in runs {
            writeVarint(UInt64(run.value), into: &output)
            writeVarint(UInt64(run.length), into: &output)
        }
        for column in table.integerColumns {
            output.append(1)
            var previous: Int64 = 0
            for value in column {
                writeVarint(zigzag(value &- previous), into: &output)
                previous = value
            }
        }
        return output
    }

    /// Decodes bytes made by `encode`; malformed input throws.
    static func decode(_ bytes: [UInt8]) throws(DataProcessingError) -> DailyTable {
        var reader = ByteReader(bytes: bytes)
        let rows = try reader.count(limit: 50_000_000)
        let columns = try reader.count(limit: 64)
        guard columns == 1 + DailyTable.integerColumnNames.count else {
            throw DataProcessingError(reason: "expected \(1 + DailyTable.integerColumnNames.count) columns")
        }
        guard try reader.byte() == 0 else { throw DataProcessingError(reason: "geo column is not run-length") }
        var geoIndex: [Int] = []
        geoIndex.reserveCapacity(rows)
        let runCount = try reader.count(limit: rows)
        for _ in 0..<runCount {
            let value = try reader.count(limit: DailyTable.geos.count - 1)
            let length = try reader.count(limit: rows - geoIndex.count)
            geoIndex.append(contentsOf: repeatElement(value, count: length))
        }
        guard geoIndex.count == rows else { throw DataProcessingError(reason: "geo runs do not cover the rows") }
        var integerColumns: [[Int64]] = []
        for _ in 1..<columns {
            guard try reader.byte() == 1 else { throw DataProcessingError(reason: "integer column is not delta") }
            var values: [Int64] = []
            values.reserveCapacity(rows)
            var previous: Int64 = 0
            for _ in 0..<rows {
                previous = previous &+ unzigzag(try reader.varint())
                values.append(previous)
            }
            integerColumns.append(values)
        }
        guard reader.isAtEnd else { throw DataProcessingError(reason: "trailing bytes after the last column") }
        return DailyTable(rows: rows, geoIndex: geoIndex, integerColumns: integerColumns)
    }

    private static func runLengths(_ values: [Int]) -> [(value: Int, length: Int)] {
        var runs: [(value: Int, length: Int)] = []
        for value in values {
            if let last = runs.last, last.value == value {
                runs[runs.count - 1].length += 1
            } else {
                runs.append((value, 1))
            }
        }
        return runs
    }

    static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    static func unzigzag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    static func writeVarint(_ value: UInt64, into output: inout [UInt8]) {
        var remaining = value
        while remaining >= 0x80 {
            output.append(UInt8(remaining & 0x7F) | 0x80)
            remaining >>= 7
        }
        output.append(UInt8(remaining))
    }
}

/// Sequential reads with bounds checks.
private struct ByteReader {
    let bytes: [UInt8]
    var position = 0

    var isAtEnd: Bool { position == bytes.count }

    mutating func byte() throws(DataProcessingError) -> UInt8 {
        guard position < bytes.count else { throw DataProcessingError(reason: "truncated columnar data") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func varint() throws(DataProcessingError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while shift < 64 {
            let next = try byte()
            value |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 { return value }
            shift += 7
        }
        throw DataProcessingError(reason: "varint longer than 10 bytes")
    }

    mutating func count(limit: Int) throws(DataProcessingError) -> Int {
        let value = try varint()
        guard value <= UInt64(max(limit, 0)) else {
            throw DataProcessingError(reason: "count \(value) over limit \(limit)")
        }
        return Int(value)
    }
}
