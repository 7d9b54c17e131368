/// An RFC 4180 CSV reader: fields separated by commas, records by CRLF or LF, quoted fields with doubled quotes.
enum CSVRecords {
    static func parse(_ text: String, source: String) throws(ComparisonError) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var afterQuote = false
        var characters = Array(text)
        if characters.last != "\n" { characters.append("\n") }
        var index = 0
        while index < characters.count {
            let character = characters[index]
            index += 1
            if quoted {
                if character == "\"" {
                    if index < characters.count, characters[index] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty && !afterQuote:
                quoted = true
            case ",":
                record.append(field)
                field = ""
                afterQuote = false
            case "\n", "\r\n", "\r":
                record.append(field)
                records.append(record)
                record = []
                field = ""
                afterQuote = false
            default:
                guard !afterQuote else {
                    throw ComparisonError(.malformed, "\(source): row \(records.count): text after a closing quote")
                }
                field.append(character)
            }
        }
        guard !quoted else {
            throw ComparisonError(.malformed, "\(source): row \(records.count): a quoted field is never closed")
        }
        return records
    }
}
