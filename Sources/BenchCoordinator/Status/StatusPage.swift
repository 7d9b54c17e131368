import BenchCore
import Foundation

/// The coordinator's `/` page: the ``StatusDocument`` as HTML that reloads itself every few seconds
/// (`<meta http-equiv="refresh">`), with inline CSS and no script. Every string is escaped.
enum StatusPage {
    static let refreshSeconds = 5

    static func render(_ status: StatusDocument) -> String {
        let e = HTMLFragment.escape
        let p = status.progress
        var html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        html += "<meta http-equiv=\"refresh\" content=\"\(refreshSeconds)\">"
        html += "<title>mmmbench \(e(status.collectionID)): \(p.done)/\(p.total)</title><style>"
        html += "body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d2430}"
        html += "table{border-collapse:collapse;margin:6px 0 18px}td,th{border-bottom:1px solid #d9dee7;"
        html += "padding:3px 10px;text-align:left}.bar{height:14px;background:#e6e9ef;width:420px}"
        html += ".fill{height:14px;background:#2f7d4f}.muted{color:#5b6575}</style></head><body>"
        html += "<h1>Collection \(e(status.collectionID))</h1>"
        let eta = p.etaSeconds.map { "ETA \(DurationUnit.length(seconds: $0))" } ?? "ETA unknown until a job finished"
        html += "<p id=\"progress\"><strong>\(p.done) of \(p.total) jobs done</strong> (\(p.percent) %), "
        html += "\(p.assigned) in flight, "
        html += "\(p.pending) pending · \(e(eta))</p>"
        html += "<div class=\"bar\" id=\"progress-bar\"><div class=\"fill\" "
        html += "style=\"width:\(min(max(p.percent, 0), 100))%\"></div></div>"
        html += "<h2>Agents</h2><p class=\"muted\">\(status.agentsConnected.map { "\($0) connected" } ?? "")</p>"
        html += "<table id=\"agents\"><tr><th>agent</th><th>in flight</th><th>last activity</th></tr>"
        for agent in status.agents {
            html += "<tr class=\"agent\"><td>\(e(agent.name))</td><td>\(agent.inFlight)</td>"
            html += "<td>\(e(agent.lastActivity))</td></tr>"
        }
        html += "</table><h2>Duration so far by job type</h2>"
        html += "<table><tr><th>job type</th><th>jobs</th><th>mean</th><th>max</th></tr>"
        for row in status.durationByJobType {
            html += "<tr><td>\(e(row.jobType))</td><td>\(row.count)</td>"
            html += "<td>\(e(DurationUnit.length(seconds: row.meanSeconds)))"
            html += "</td><td>\(e(DurationUnit.length(seconds: row.maxSeconds)))</td></tr>"
        }
        html += "</table><h2>Recent failures</h2><table><tr><th>job</th><th>attempt</th><th>agent</th><th>error</th>"
        html += "<th>at</th></tr>"
        for failure in status.recentFailures {
            html += "<tr><td>\(e(failure.jobID))</td><td>\(failure.attempt)</td><td>\(e(failure.agent))</td>"
            html += "<td>\(e(failure.error))</td><td>\(e(failure.receivedAt))</td></tr>"
        }
        html += "</table><p class=\"muted\">\(status.attempts.total) attempts, \(status.attempts.redispatches) "
        html += "re-dispatches, \(status.results.counted) results committed. Generated \(e(status.generatedAt)); "
        html += "reloads every \(refreshSeconds) s. JSON: /status, Prometheus: /metrics.</p></body></html>\n"
        return html
    }
}
