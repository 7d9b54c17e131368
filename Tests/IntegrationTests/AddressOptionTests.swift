import Testing

/// Every `HOST:PORT` option is read by one parser, and its errors name the option the user gave.
@Suite("HOST:PORT options")
struct AddressOptionTests {
    @Test("a malformed address is a usage error naming its option", arguments: [
        (["trainer", "--listen", "localhost"], "--listen must be HOST:PORT, got 'localhost'"),
        (["trainer", "--listen", "127.0.0.1:70000"], "--listen must be HOST:PORT with PORT in 0...65535"),
        (["agent", "--coordinator", "127.0.0.1:0", "--cert", "c", "--key", "k", "--ca", "a", "--no-trainer"],
         "--coordinator must be HOST:PORT with PORT in 1...65535, got '127.0.0.1:0'"),
        (["coordinator", "--listen", "127.0.0.1:0", "--http", "nope", "--db", "d", "--cert", "c", "--key", "k",
          "--ca", "a"], "--http must be HOST:PORT, got 'nope'"),
    ])
    func malformed(arguments: [String], expected: String) async throws {
        let child = try ChildProcess(arguments)
        #expect(await child.waitForExit(timeout: .seconds(60)) == 64, "\(child.text)")
        #expect(child.text.contains(expected), "\(child.text)")
    }
}
