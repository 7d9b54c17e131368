import Foundation

/// The shared libraries a binary loads (`ldd`) and the Debian packages that own them (`dpkg -S`).
enum SharedLibraries {
    struct Library: Hashable {
        let soname: String
        let path: String
    }

    /// `ldd BINARY`: every resolved library (the vDSO, which has no file, excluded). Throws when one is not found.
    static func libraries(of binary: String) throws -> [Library] {
        let run = try ToolRun.run("ldd", [binary])
        guard run.status == 0 else { throw IntegrationError("ldd \(binary) failed: \(run.stderr)") }
        var libraries: [Library] = []
        for line in run.stdout.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.contains("not found") { throw IntegrationError("ldd: \(text)") }
            let parts = text.components(separatedBy: " => ")
            if parts.count == 2 {
                let path = parts[1].components(separatedBy: " (").first ?? ""
                if path.hasPrefix("/") { libraries.append(Library(soname: parts[0], path: path)) }
            } else if text.hasPrefix("/") {
                // The dynamic loader itself: "/lib64/ld-linux-x86-64.so.2 (0x...)".
                let path = text.components(separatedBy: " (").first ?? text
                libraries.append(Library(soname: URL(fileURLWithPath: path).lastPathComponent, path: path))
            }
        }
        return libraries
    }

    /// The package owning `path` (without `:arch`), trying the path as given, its merged-/usr twin and its real
    /// path (Debian's usrmerge registers some libraries under /lib, some under /usr/lib); nil when dpkg knows none.
    static func debianPackage(owning path: String) throws -> String? {
        var candidates = [path]
        candidates.append(path.hasPrefix("/usr/") ? String(path.dropFirst(4)) : "/usr" + path)
        let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        candidates += [real, real.hasPrefix("/usr/") ? String(real.dropFirst(4)) : "/usr" + real]
        for candidate in candidates {
            let run = try ToolRun.run("dpkg", ["-S", candidate])
            guard run.status == 0, let line = run.stdout.split(separator: "\n").first,
                  let colon = line.range(of: ": ")
            else { continue }
            // "libssl3:amd64: /usr/lib/x86_64-linux-gnu/libssl.so.3" (or "a, b: path" for shared paths).
            let owners = line[..<colon.lowerBound].split(separator: ",").map {
                String($0.trimmingCharacters(in: .whitespaces).split(separator: ":").first ?? "")
            }
            if let owner = owners.first { return owner }
        }
        return nil
    }
}
