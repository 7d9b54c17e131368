import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import Testing

@Suite("JSONValue")
struct JSONValueTests {
    private func decode(_ json: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
    }

    @Test("every JSON kind decodes to its own case, even when it looks like another")
    func kindsArePreserved() throws {
        #expect(try decode("true") == .bool(true))
        #expect(try decode("0") == .number(0))
        #expect(try decode("1") == .number(1))
        #expect(try decode(#""1.5""#) == .string("1.5"))
        #expect(try decode(#""true""#) == .string("true"))
        #expect(try decode("null") == .null)
        #expect(try decode("[]") == .array([]))
        #expect(try decode("{}") == .object([:]))
        #expect(try decode(#"{"a":[1,"b",false,null,{"c":-2.5e3}]}"#)
            == ["a": [1, "b", false, nil, ["c": -2500]]])
    }

    @Test("accessors read the value of the matching case only")
    func accessors() {
        let value: JSONValue = ["n": 3, "s": "x", "b": true, "f": 2.5]
        #expect(value["n"]?.intValue == 3)
        #expect(value["f"]?.intValue == nil)
        #expect(value["f"]?.doubleValue == 2.5)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["b"]?.boolValue == true)
        #expect(value["missing"] == nil)
        #expect(JSONValue.string("x")["n"] == nil)
    }
}
