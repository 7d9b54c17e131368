import Foundation

/// The instructions of a Containerfile, grouped by stage, with line continuations joined (enough of the format to
/// check what a stage installs, copies and runs as).
struct Containerfile {
    struct Instruction: Equatable {
        let keyword: String
        let arguments: String
    }

    struct Stage {
        let base: String
        let name: String?
        var instructions: [Instruction] = []

        /// The stage's `ARG NAME=default` defaults (quotes removed).
        var argDefaults: [String: String] {
            var defaults: [String: String] = [:]
            for instruction in instructions where instruction.keyword == "ARG" {
                guard let equals = instruction.arguments.firstIndex(of: "=") else { continue }
                var value = String(instruction.arguments[instruction.arguments.index(after: equals)...])
                if value.count >= 2, value.first == "\"", value.last == "\"" {
                    value = String(value.dropFirst().dropLast())
                }
                defaults[String(instruction.arguments[..<equals])] = value
            }
            return defaults
        }

        func arguments(of keyword: String) -> [String] {
            instructions.filter { $0.keyword == keyword }.map(\.arguments)
        }
    }

    /// `ARG`s before the first `FROM` (usable in `FROM` lines).
    let globalArgs: [String: String]
    let stages: [Stage]

    init(text: String) {
        var logical: [String] = []
        var pending = ""
        for rawLine in text.components(separatedBy: "\n") {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") { continue }
            if line.hasSuffix("\\") {
                pending += line.dropLast().trimmingCharacters(in: .whitespaces) + " "
                continue
            }
            let joined = (pending + line).trimmingCharacters(in: .whitespaces)
            pending = ""
            if !joined.isEmpty { logical.append(joined) }
        }
        var globals: [String: String] = [:]
        var stages: [Stage] = []
        for line in logical {
            let keyword = String(line.prefix { !$0.isWhitespace }).uppercased()
            let arguments = line.dropFirst(keyword.count).trimmingCharacters(in: .whitespaces)
            if keyword == "FROM" {
                let words = arguments.split(separator: " ").map(String.init)
                let name = words.count >= 3 && words[1].uppercased() == "AS" ? words[2] : nil
                stages.append(Stage(base: words.first ?? "", name: name))
            } else if stages.isEmpty {
                if keyword == "ARG", let equals = arguments.firstIndex(of: "=") {
                    globals[String(arguments[..<equals])] = String(arguments[arguments.index(after: equals)...])
                }
            } else {
                stages[stages.count - 1].instructions.append(Instruction(keyword: keyword, arguments: arguments))
            }
        }
        self.globalArgs = globals
        self.stages = stages
    }

    /// `FROM ${NAME}` resolved with the global ARG defaults.
    func resolvedBase(of stage: Stage) -> String {
        var base = stage.base
        for (name, value) in globalArgs { base = base.replacingOccurrences(of: "${\(name)}", with: value) }
        return base
    }
}
