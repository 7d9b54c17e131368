import Foundation
import Logging

/// A swift-log handler writing each event as one line of JSON (``JSONLogLine``) through `write`.
///
///     let logger = Logger(label: "mmmbench.agent") { label in
///         JSONLogHandler(label: label, logLevel: .info) { line in print(line) }
///     }
///
/// `write` gets the line without its newline and must be safe to call from any thread.
public struct JSONLogHandler: LogHandler {
    public let label: String
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let write: @Sendable (String) -> Void

    /// - Parameters:
    ///   - label: the logger's label (the `label` key of every line).
    ///   - logLevel: events below this level are dropped.
    ///   - write: receives each line, without the newline.
    public init(label: String, logLevel: Logger.Level, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.logLevel = logLevel
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        write(JSONLogLine.render(timestamp: Date(), level: event.level, label: label, message: "\(event.message)",
                                 metadata: merged))
    }
}
