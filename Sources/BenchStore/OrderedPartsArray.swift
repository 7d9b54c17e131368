/// One array filled by several threads at once, part by part, in the order of the parts: what the report reads its
/// measurements into (``ReportWriter``, a part per range of job ordinals).
///
/// Each part writes into slots of its own, starting at the sum of the earlier parts' capacities; when every part is
/// done, the parts are moved together in place (a bitwise move, and none when every part filled its capacity). No
/// part is an array of its own, so no element is copied, retained or released on the way, and the array never
/// grows: at 10^6 results, concatenating four part arrays was a 200 MB copy with seven retains (and later releases)
/// per measurement, on one core after the reads, and each part array grew by doubling.
enum OrderedPartsArray {
    /// The elements `fill` hands over for each part, the parts in order, while `alongside` runs too: all of them on
    /// up to as many threads as there are cores (``ReportWriter/concurrently(_:)``). `fill(part, append)` is called
    /// once per index of `capacities`; `append` stores one element and answers false, storing nothing, once the part
    /// has `capacities[part]` elements. The first error of any work item is thrown after every item has ended, and
    /// then nothing is returned (the elements stored are released).
    static func fill<Element: Sendable>(
        capacities: [Int],
        alongside: [@Sendable () throws -> Void] = [],
        _ fill: @escaping @Sendable (_ part: Int, _ append: (Element) -> Bool) throws -> Void
    ) throws -> [Element] {
        // Part i's slots start at the sum of the earlier parts' capacities.
        var starts: [Int] = []
        var total = 0
        for capacity in capacities {
            precondition(capacity >= 0, "a part's capacity is negative")
            starts.append(total)
            total += capacity
        }
        // At least one slot, so that the buffer has an address even when every part is empty.
        return try [Element](unsafeUninitializedCapacity: max(total, 1)) { buffer, initialized in
            initialized = 0
            guard let base = buffer.baseAddress else { return }
            let slots = Slots(base: base, starts: starts, capacities: capacities)
            defer { slots.counts.deallocate() }
            var work = alongside
            for part in capacities.indices {
                work.append { try fill(part) { slots.append($0, part: part) } }
            }
            var failure: (any Error)?
            do {
                _ = try ReportWriter.concurrently(work)
            } catch {
                failure = error
            }
            // Every thread has ended (concurrentPerform returns after its last iteration): the counts are final.
            var end = 0
            for part in capacities.indices {
                let count = slots.counts[part]
                if starts[part] != end, count > 0 {
                    (base + end).moveInitialize(from: base + starts[part], count: count)
                }
                end += count
            }
            initialized = end
            if let failure { throw failure }
        }
    }

    /// The slots of an array being filled: part `i` writes only its own slots and `counts[i]`.
    private struct Slots<Element>: @unchecked Sendable {
        // @unchecked: the parts' slot ranges and counts are disjoint, each written by the one thread filling that
        // part, and read only after every such thread has ended.
        let base: UnsafeMutablePointer<Element>
        let starts: [Int]
        let capacities: [Int]
        let counts: UnsafeMutablePointer<Int>

        init(base: UnsafeMutablePointer<Element>, starts: [Int], capacities: [Int]) {
            self.base = base
            self.starts = starts
            self.capacities = capacities
            counts = .allocate(capacity: max(capacities.count, 1))
            counts.initialize(repeating: 0, count: max(capacities.count, 1))
        }

        /// Stores `element` as the next of `part`; false when the part is full.
        func append(_ element: Element, part: Int) -> Bool {
            let count = counts[part]
            guard count < capacities[part] else { return false }
            (base + starts[part] + count).initialize(to: element)
            counts[part] = count + 1
            return true
        }
    }
}
