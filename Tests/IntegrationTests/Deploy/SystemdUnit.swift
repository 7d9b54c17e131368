import Foundation

/// A systemd unit file read the way systemd reads the parts our units use: sections, `Key=Value` lines (a key may
/// repeat), comments, backslash line continuations; `EnvironmentFile` contents; and the expansion of `ExecStart`
/// (quotes, `%i`/`%S`/`%%` specifiers, `${VAR}` as one word, `$VAR` split on whitespace), as systemd.service(5) and
/// systemd.exec(5) describe. Anything else in an `ExecStart` (a `%` specifier we do not know, `-@:+!` prefixes,
/// an unset variable) is an error, so the test cannot silently check a different command than systemd would run.
struct SystemdUnit {
    struct Entry: Equatable {
        let section: String
        let key: String
        let value: String
    }

    let entries: [Entry]

    init(text: String) {
        var entries: [Entry] = []
        var section = ""
        var pending = ""
        for rawLine in text.components(separatedBy: "\n") {
            var line = rawLine
            if !pending.isEmpty {
                line = pending + line
                pending = ""
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#") || trimmed.hasPrefix(";") || trimmed.isEmpty { continue }
            if trimmed.hasSuffix("\\") {
                pending = String(trimmed.dropLast()) + " "
                continue
            }
            if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") {
                section = String(trimmed.dropFirst().dropLast())
                continue
            }
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
            let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            entries.append(Entry(section: section, key: key, value: value))
        }
        self.entries = entries
    }

    /// Every value of `key` in `section`, in file order.
    func values(_ key: String, in section: String = "Service") -> [String] {
        entries.filter { $0.section == section && $0.key == key }.map(\.value)
    }

    /// The single value of `key`, or nil when absent or repeated.
    func value(_ key: String, in section: String = "Service") -> String? {
        let all = values(key, in: section)
        return all.count == 1 ? all[0] : nil
    }

    /// The unit's text with every `ExecStart=` binary `from` replaced by `to` (for `systemd-analyze verify`, which
    /// refuses a unit whose binary does not exist).
    static func replacingBinary(in text: String, from: String, to: String) -> String {
        text.replacingOccurrences(of: "ExecStart=\(from) ", with: "ExecStart=\(to) ")
    }
}

/// Parsing errors of the unit and environment-file readers.
struct SystemdSyntaxError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension SystemdUnit {
    /// An `EnvironmentFile`: `KEY=VALUE` lines, `#`/`;` comments, values optionally in double or single quotes.
    static func environment(fromFile text: String) throws -> [String: String] {
        var environment: [String: String] = [:]
        for rawLine in text.components(separatedBy: "\n") {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw SystemdSyntaxError("environment file line without '=': \(line)")
            }
            let key = String(line[..<equals]).trimmingCharacters(in: .whitespaces)
            var value = String(line[line.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            environment[key] = value
        }
        return environment
    }

    /// The argument vector systemd would run for `commandLine` (an `ExecStart` value).
    /// - Parameters:
    ///   - specifiers: values of `%` specifiers (e.g. `i` -> the instance, `S` -> `/var/lib`).
    ///   - environment: the variables from `Environment=` and `EnvironmentFile=`.
    static func expand(commandLine: String, specifiers: [Character: String], environment: [String: String])
        throws -> [String]
    {
        if let first = commandLine.first, "-@:+!".contains(first) {
            throw SystemdSyntaxError("ExecStart prefixes are not supported by this reader: \(commandLine)")
        }
        let specified = try expandSpecifiers(commandLine, specifiers)
        var words: [String] = []
        for (word, quoted) in try split(specified) {
            if !quoted, word.hasPrefix("$"), !word.hasPrefix("${") {
                let name = String(word.dropFirst())
                guard let value = environment[name] else { throw SystemdSyntaxError("unset variable $\(name)") }
                words += value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                continue
            }
            words.append(try expandBraced(word, environment))
        }
        return words
    }

    private static func expandSpecifiers(_ text: String, _ specifiers: [Character: String]) throws -> String {
        var result = ""
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            guard character == "%" else {
                result.append(character)
                continue
            }
            guard let name = iterator.next() else { throw SystemdSyntaxError("dangling % in \(text)") }
            if name == "%" {
                result.append("%")
            } else if let value = specifiers[name] {
                result += value
            } else {
                throw SystemdSyntaxError("specifier %\(name) not known to this reader in \(text)")
            }
        }
        return result
    }

    /// Splits on unquoted whitespace; returns each word and whether it was quoted.
    private static func split(_ text: String) throws -> [(String, Bool)] {
        var words: [(String, Bool)] = []
        var current = ""
        var quote: Character?
        var quoted = false
        var inWord = false
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
                continue
            }
            if character == "\"" || character == "'" {
                quote = character
                quoted = true
                inWord = true
            } else if character == " " || character == "\t" {
                if inWord { words.append((current, quoted)) }
                current = ""
                quoted = false
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        guard quote == nil else { throw SystemdSyntaxError("unterminated quote in \(text)") }
        if inWord { words.append((current, quoted)) }
        return words
    }

    private static func expandBraced(_ word: String, _ environment: [String: String]) throws -> String {
        var result = ""
        var rest = Substring(word)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw SystemdSyntaxError("unterminated ${ in \(word)")
            }
            let name = String(rest[start.upperBound..<end])
            guard let value = environment[name] else { throw SystemdSyntaxError("unset variable ${\(name)}") }
            result += value
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }
}
