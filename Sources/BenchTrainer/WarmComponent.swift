/// A component of the reference trainer that is warmed before it serves, as `/health` reports in `warm_status`.
public enum WarmComponent: String, Sendable, Hashable, CaseIterable, Codable {
    /// The HTTP server is bound and accepting connections.
    case containerReady = "container_ready"
    /// The synthetic datasets of the default countries (fr, de, uk, es) are generated and cached.
    case datasets
    /// A warm-up fit has run.
    case solver

    /// Whether the `cold=` fault can leave this component cold (a serving trainer is always bound).
    var canBeCold: Bool { self != .containerReady }
}
