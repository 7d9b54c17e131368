import Foundation

/// Hosts on one machine: one network namespace per host, each with a veth link to a bridge that lives in a
/// namespace of its own (the "switch"), all on a /24 of 10.213.0.0/16 that exists only inside these namespaces.
/// Nothing is added to the machine's own network namespace. Names carry a random suffix; ``tearDown()`` deletes
/// every namespace this lab made, by name.
final class NetworkLab: Sendable {
    struct Host: Sendable {
        let name: String
        let namespace: String
        let address: String
        /// The switch-side end of the host's link (cut it to take the host off the network).
        let switchPort: String
    }

    let suffix: String
    let subnet: String
    let hosts: [String: Host]
    private var switchNamespace: String { "mmb-\(suffix)-sw" }

    /// Whether this process may create network namespaces (root with CAP_NET_ADMIN, iproute2 installed), and if not,
    /// why. Tried for real: a probe namespace is added and deleted.
    static let availability: (available: Bool, reason: String) = {
        guard geteuid() == 0 else {
            return (false, "network namespaces need root (CAP_NET_ADMIN); running as uid \(geteuid())")
        }
        guard ToolRun.available("ip") else { return (false, "the ip command (Debian: iproute2) is not installed") }
        let probe = "mmb-probe-\(UInt32.random(in: 0...UInt32.max))"
        guard let add = try? ToolRun.run("ip", ["netns", "add", probe], timeout: .seconds(30)) else {
            return (false, "ip netns add could not be run")
        }
        _ = try? ToolRun.run("ip", ["netns", "delete", probe], timeout: .seconds(30))
        guard add.status == 0 else {
            return (false, "ip netns add was refused: \(add.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return (true, "")
    }()

    /// Creates the switch and one namespace per host name, with addresses .1, .2, ... in host order.
    init(hostNames: [String]) throws {
        suffix = String(format: "%06x", UInt32.random(in: 0...0xFF_FFFF))
        subnet = "10.213.\(Int.random(in: 1...254))"
        var hosts: [String: Host] = [:]
        for (index, name) in hostNames.enumerated() {
            hosts[name] = Host(name: name, namespace: "mmb-\(suffix)-\(name)", address: "\(subnet).\(index + 1)",
                               switchPort: "mb\(suffix)p\(index)")
        }
        self.hosts = hosts
        do {
            try Self.ip(["netns", "add", "mmb-\(suffix)-sw"])
            try Self.ip(["-n", "mmb-\(suffix)-sw", "link", "add", "br0", "type", "bridge"])
            try Self.ip(["-n", "mmb-\(suffix)-sw", "link", "set", "br0", "up"])
            for name in hostNames {
                guard let host = hosts[name] else { continue }
                try Self.ip(["netns", "add", host.namespace])
                try Self.ip(["-n", host.namespace, "link", "set", "lo", "up"])
                // The pair is made in the switch namespace, then one end moves into the host as eth0.
                try Self.ip(["-n", switchNamespace, "link", "add", host.switchPort, "type", "veth",
                             "peer", "name", "eth0", "netns", host.namespace])
                try Self.ip(["-n", switchNamespace, "link", "set", host.switchPort, "master", "br0"])
                try Self.ip(["-n", switchNamespace, "link", "set", host.switchPort, "up"])
                try Self.ip(["-n", host.namespace, "addr", "add", "\(host.address)/24", "dev", "eth0"])
                try Self.ip(["-n", host.namespace, "link", "set", "eth0", "up"])
            }
        } catch {
            tearDown()
            throw error
        }
    }

    func host(_ name: String) throws -> Host {
        guard let host = hosts[name] else { throw IntegrationError("no host \(name) in the lab") }
        return host
    }

    /// The argument vector that runs `arguments` of mmmbench inside `host`'s namespace (`ip netns exec` execs the
    /// program itself, so the child's PID is mmmbench's).
    func mmmbench(on host: String, _ arguments: [String]) throws -> (executable: String, arguments: [String]) {
        let ipPath = try ToolRun.run("/bin/sh", ["-c", "command -v ip"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return (ipPath, ["netns", "exec", try self.host(host).namespace, ChildProcess.mmmbenchPath] + arguments)
    }

    /// Takes a host's link down (`up: false`) or brings it back, on the switch side.
    func setLink(of host: String, up: Bool) throws {
        try Self.ip(["-n", switchNamespace, "link", "set", try self.host(host).switchPort, up ? "up" : "down"])
    }

    /// Deletes every namespace of this lab (the veth pairs and the bridge go with them).
    func tearDown() {
        for host in hosts.values {
            _ = try? ToolRun.run("ip", ["netns", "delete", host.namespace], timeout: .seconds(30))
        }
        _ = try? ToolRun.run("ip", ["netns", "delete", switchNamespace], timeout: .seconds(30))
    }

    /// The namespaces of this lab still present (for the clean-up check).
    func remainingNamespaces() throws -> [String] {
        let list = try ToolRun.run("ip", ["netns", "list"]).stdout
        return list.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { $0.hasPrefix("mmb-\(suffix)-") }
    }

    private static func ip(_ arguments: [String]) throws {
        let run = try ToolRun.run("ip", arguments, timeout: .seconds(30))
        guard run.status == 0 else {
            throw IntegrationError("ip \(arguments.joined(separator: " ")) failed: \(run.stderr)")
        }
    }
}
