/// How `coordinator` and `agent` write their log lines (`--log-format`).
///
/// - `text`: `TIMESTAMP LEVEL message key=value ...`, for people.
/// - `json`: one JSON object a line (``JSONLogLine``), for log pipelines.
public enum LogFormat: String, CaseIterable, Sendable {
    case text
    case json
}
