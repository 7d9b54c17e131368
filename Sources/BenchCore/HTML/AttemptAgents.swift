/// The agents of a collection's attempts, and each attempt's agent as an index into them: made in one pass over the
/// attempts when the page is made, so that the sections that count per agent (the headline cards, the timeline's
/// lanes and summary, the hosts table) index arrays instead of hashing an agent name per attempt each (at 10^6
/// attempts, four such passes were a fifth of the page's CPU).
struct AttemptAgents: Sendable {
    /// Every agent that ran an attempt, sorted.
    let names: [String]
    /// For the attempt at each index of the attempts, the index of its agent in `names`.
    let agentOfAttempt: [Int]

    init(_ attempts: [AttemptSpan]) {
        var indexOfName: [String: Int] = [:]
        var firstSeen: [String] = []
        var raw: [Int] = []
        raw.reserveCapacity(attempts.count)
        for index in attempts.indices {
            let name = attempts[index].agent
            if let known = indexOfName[name] {
                raw.append(known)
            } else {
                indexOfName[name] = firstSeen.count
                raw.append(firstSeen.count)
                firstSeen.append(name)
            }
        }
        let sorted = firstSeen.indices.sorted { firstSeen[$0] < firstSeen[$1] }
        var rank = [Int](repeating: 0, count: firstSeen.count)
        for (position, seen) in sorted.enumerated() { rank[seen] = position }
        names = sorted.map { firstSeen[$0] }
        agentOfAttempt = raw.map { rank[$0] }
    }

    /// The indices of each agent's attempts (in the attempts' order), one list per agent of `names`.
    func attemptsByAgent() -> [[Int]] {
        var lanes = [[Int]](repeating: [], count: names.count)
        for (attempt, agent) in agentOfAttempt.enumerated() { lanes[agent].append(attempt) }
        return lanes
    }
}
