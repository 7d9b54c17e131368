// swift-tools-version:6.1
import PackageDescription

// The package-benchmark micro-benchmarks of mmmbench (scripts/bench-micro runs them): a separate package, so the
// root package's build and CI never compile the benchmark harness. It depends on the root package by path and uses
// its library products.
let package = Package(
    name: "mmmbench-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "mmmbench", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/ordo-one/benchmark.git", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "MmmbenchMicro",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "BenchCore", package: "mmmbench"),
                .product(name: "BenchStore", package: "mmmbench"),
                .product(name: "BenchWire", package: "mmmbench"),
                .product(name: "BenchProtocol", package: "mmmbench"),
                .product(name: "BenchJSON", package: "mmmbench"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/MmmbenchMicro",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
