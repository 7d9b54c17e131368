import Foundation

extension CheckOutcome {
    /// Judges the shares of a concurrent check (run by several agents) as one check: their samples together
    /// against the check's thresholds, as if one host had sent every request.
    ///
    /// The combined outcome starts at the earliest share's start and lasts until the latest share's end; sample
    /// offsets are moved onto that common start (by wall clock, so hosts' clock skew shifts them). A share that
    /// never reported leaves its requests without results, which is an `error` naming them. `agents` lists the
    /// agents whose shares contributed (`agent` is set only when that is one). Outcomes of other
    /// checks, or of a whole check, are returned as they are.
    public static func combining(shares: [CheckOutcome], kind: CheckKind, settings: CheckSettings) -> CheckOutcome {
        guard kind.isConcurrent, let first = shares.min(by: { $0.startedAt < $1.startedAt }) else {
            return shares.first ?? CheckOutcome(
                check: kind, status: .error, durationSeconds: 0, startedAt: Date(),
                reason: "no result of any share of the check arrived")
        }
        if shares.count == 1, first.share == nil || first.share == .whole { return first }
        let start = first.startedAt
        let end = shares.map { $0.startedAt.addingTimeInterval($0.durationSeconds) }.max() ?? start
        var samples: [CheckRequestSample] = []
        for share in shares {
            let shift = share.startedAt.timeIntervalSince(start) * 1000
            for var sample in share.samples {
                sample.startOffsetMs += shift
                if sample.agent == nil { sample.agent = share.agent }
                samples.append(sample)
            }
        }
        let requestIDs = Array(0..<settings.concurrentRequests(for: kind))
        var verdict = switch kind {
        case .parallelProcessing:
            CheckEvaluator.parallelProcessing(samples, requestIDs: requestIDs)
        default:
            CheckEvaluator.loadHandling(samples, requestIDs: requestIDs, settings.loadHandling)
        }
        let lost = shares.filter { $0.samples.isEmpty && $0.status == .error }.compactMap { share in
            let name = (share.share?.description ?? "a share") + (share.agent.map { " on \($0)" } ?? "")
            return share.reason.map { "\(name): \($0)" }
        }
        if !lost.isEmpty, let reason = verdict.reason {
            verdict.reason = reason + " (" + lost.joined(separator: "; ") + ")"
        }
        let agents = Set(shares.compactMap(\.agent))
        return CheckOutcome(
            check: kind, verdict: verdict, startedAt: start, durationSeconds: end.timeIntervalSince(start),
            share: nil, agent: agents.count == 1 ? agents.first : nil, agents: agents.sorted())
    }
}
