import NIOConcurrencyHelpers

/// Which components have really been warmed; each flag is set only after the warming step finished.
final class WarmStatus: Sendable {
    private let warmed = NIOLockedValueBox<Set<WarmComponent>>([])

    func markWarm(_ component: WarmComponent) {
        _ = warmed.withLockedValue { $0.insert(component) }
    }

    func markCold(_ component: WarmComponent) {
        _ = warmed.withLockedValue { $0.remove(component) }
    }

    func isWarm(_ component: WarmComponent) -> Bool {
        warmed.withLockedValue { $0.contains(component) }
    }

    /// Every component with its state, keyed by its `warm_status` name.
    func snapshot() -> [String: Bool] {
        let current = warmed.withLockedValue { $0 }
        return Dictionary(uniqueKeysWithValues: WarmComponent.allCases.map { ($0.rawValue, current.contains($0)) })
    }
}
