import BenchStore

extension StatusCommand {
    /// One line per side of an A/B collection (none for a one-target collection), e.g.
    /// `target baseline: 54 total, 54 done, 0 running, 0 pending; 0 failed measurements, 0 harness errors`.
    static func renderTargets(_ targets: [TargetStatus]) -> [String] {
        targets.map { t in
            "target \(t.target): \(t.total) total, \(t.done) done, \(t.assigned) running, \(t.pending) pending; "
                + "\(t.failedMeasurements) failed measurements, \(t.harnessErrors) harness errors"
        }
    }
}
