import Foundation

/// Follows the coordinator's log file as it grows and counts the lines the benchmark cares about.
///
/// The coordinator (`--log-level notice`) writes one line per agent admitted (`agent NAME connected from ...`) and
/// one per connection that ended (`agent NAME disconnected (...)`); those counts confirm from the coordinator's side
/// how many agents it holds.
struct CoordinatorLogScanner {
    let path: String
    private(set) var connected = 0
    private(set) var disconnected = 0
    /// Lines at level warning or above, and the coordinator closing connections on its own.
    private(set) var problems: [String] = []
    /// The port from `coordinator listening on HOST:PORT`, once seen.
    private(set) var listeningPort: Int?
    private(set) var lastLines: [String] = []
    private var offset: UInt64 = 0
    private var partial = ""

    init(path: String) {
        self.path = path
    }

    /// Reads what was appended since the last call.
    mutating func poll() {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: offset)) != nil, let data = try? handle.readToEnd(), !data.isEmpty
        else { return }
        offset += UInt64(data.count)
        partial += String(decoding: data, as: UTF8.self)
        var lines = partial.components(separatedBy: "\n")
        partial = lines.removeLast()
        for line in lines { scan(line) }
        lastLines = Array((lastLines + lines).suffix(20))
    }

    private mutating func scan(_ line: String) {
        if line.contains(" connected from ") {
            connected += 1
        } else if line.contains(" disconnected (") {
            disconnected += 1
        } else if listeningPort == nil, let range = line.range(of: "coordinator listening on ") {
            let address = line[range.upperBound...].prefix { !$0.isWhitespace }
            listeningPort = address.split(separator: ":").last.flatMap { Int($0) }
        }
        if line.contains(" warning ") || line.contains(" error ") || line.contains(" critical ")
            || line.contains("heartbeat timeout") || line.contains("no hello within")
        {
            if problems.count < 20 { problems.append(line) }
        }
    }
}
