import BenchJSON
/// Optional protocol features an agent announces in `hello.features` (docs/protocol.md, "Features").
///
/// A feature extends protocol version ``WireProtocol/version`` without changing it: a peer that does not announce
/// one never receives the messages or fields that need it, so agents built before it keep working where it is not
/// used, and never run work they would misunderstand.
public enum WireFeature {
    /// The agent honours `assign.target_url` (calls that trainer instead of its own `--trainer-url`) and
    /// `assign.after` (runs the attempt in the slot of `after`, once it has finished). A coordinator collecting an
    /// A/B plan rejects agents without it (``RejectCode/featureMissing``).
    public static let abTargets = "ab_targets"

    /// Every feature this build implements, as an agent announces them.
    public static let implemented = [abTargets]
}

extension RejectCode {
    /// The agent lacks a feature the coordinator's collection needs (e.g. ``WireFeature/abTargets`` for an A/B plan).
    public static let featureMissing = RejectCode(rawValue: "feature_missing")
}
