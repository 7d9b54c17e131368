import BenchCore
@testable import BenchStore
import Foundation
import Testing

/// The report's measurements are read by several threads into one array (``OrderedPartsArray``): each part in
/// slots of its own, then moved together. The array must be the parts' elements in part order whatever each part
/// filled, a part can never take more than its capacity, and a failed part throws with nothing leaked.
@Suite("Store: one array filled by parts at once")
struct OrderedPartsArrayTests {
    /// A value whose live instances are counted, to see that every element stored is released exactly once.
    final class Tracked: Sendable {
        static let live = PThreadLockedValue(0)
        let value: Int
        init(_ value: Int) {
            self.value = value
            Self.live.withLock { $0 += 1 }
        }
        deinit { Self.live.withLock { $0 -= 1 } }
    }

    @Test("the parts' elements in part order, gaps closed, the work alongside run too")
    func partsInOrder() throws {
        let ran = PThreadLockedValue(false)
        let capacities = [3, 0, 5, 2, 4]
        // Part p stores p*10 ..< p*10 + filled[p]: some full, some short, one empty.
        let filled = [3, 0, 2, 2, 0]
        let array: [Int] = try OrderedPartsArray.fill(capacities: capacities, alongside: [{ ran.withLock { $0 = true } }]) {
            part, append in
            for index in 0..<filled[part] { #expect(append(part * 10 + index)) }
        }
        #expect(array == [0, 1, 2, 20, 21, 30, 31])
        #expect(ran.withLock { $0 })
    }

    @Test("a part takes no more than its capacity")
    func capacityIsALimit() throws {
        let refused = PThreadLockedValue(0)
        let array: [Int] = try OrderedPartsArray.fill(capacities: [2, 1]) { part, append in
            for index in 0..<3 where !append(part * 10 + index) { refused.withLock { $0 += 1 } }
        }
        #expect(array == [0, 1, 10])
        #expect(refused.withLock { $0 } == 3)
    }

    @Test("no part at all, or only empty parts: an empty array")
    func empty() throws {
        #expect(try OrderedPartsArray.fill(capacities: []) { (_, _: (Int) -> Bool) in }.isEmpty)
        #expect(try OrderedPartsArray.fill(capacities: [0, 0]) { (_, _: (Int) -> Bool) in }.isEmpty)
    }

    @Test("a part that fails: its error is thrown and every element stored is released")
    func failureReleasesEverything() {
        struct Broken: Error, Equatable { let part: Int }
        #expect(throws: Broken(part: 2)) {
            let _: [Tracked] = try OrderedPartsArray.fill(capacities: [4, 4, 4, 4]) { part, append in
                for index in 0..<(part == 2 ? 1 : 4) { _ = append(Tracked(part * 10 + index)) }
                if part == 2 { throw Broken(part: part) }
            }
        }
        #expect(Tracked.live.withLock { $0 } == 0)
        // And without a failure, the elements live as long as the array.
        do {
            let array: [Tracked] = try OrderedPartsArray.fill(capacities: [2, 3]) { part, append in
                for index in 0..<2 { _ = append(Tracked(part * 10 + index)) }
            }
            #expect(array.map(\.value) == [0, 1, 10, 11])
            #expect(Tracked.live.withLock { $0 } == 4)
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(Tracked.live.withLock { $0 } == 0)
    }
}
