import BenchCore
import BenchJSON
import BenchProtocol
import Testing

/// The check payload and check outcome examples of docs/protocol.md are exactly what BenchProtocol's one writer of
/// each writes for the value its one reader reads from them, member for member.
@Suite("docs/protocol.md check examples are what the codec writes")
struct CheckDocExamplesTests {
    @Test("the check payload example reads to a task that writes the example back")
    func payloadExampleRoundTrips() throws {
        let example = try #require(try ProtocolDocExamplesTests.examples().first { $0.kind == "check-payload" })
        let value = try ProtocolDocExamplesTests.value(example.objects[0])
        #expect(try CheckTask(wireValue: value).wireValue == value)
    }

    @Test("the check outcome example reads to an outcome that writes the example back")
    func outcomeExampleRoundTrips() throws {
        let example = try #require(try ProtocolDocExamplesTests.examples().first {
            $0.kind == "check-outcome" && !$0.refused
        })
        let value = try ProtocolDocExamplesTests.value(example.objects[0])
        #expect(try CheckOutcome(wireValue: value).wireValue == value)
    }
}
