// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "mmmbench",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mmmbench", targets: ["mmmbench"]),
        .executable(name: "mmmbench-bench", targets: ["mmmbench-bench"]),
        // For the package-benchmark micro-benchmarks in Benchmarks/ (a separate package that depends on this one).
        .library(name: "BenchCore", targets: ["BenchCore"]),
        .library(name: "BenchStore", targets: ["BenchStore"]),
        .library(name: "BenchWire", targets: ["BenchWire"]),
        .library(name: "BenchProtocol", targets: ["BenchProtocol"]),
        .library(name: "BenchJSON", targets: ["BenchJSON"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        // Tests only: property-based tests of the wire codec and the plan loader.
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        // Tests only: a test clock for the coordinator's heartbeat timer (advanced instead of sleeping).
        .package(url: "https://github.com/pointfreeco/swift-clocks.git", from: "1.1.1"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        // A load-time constructor that makes OpenSSL's first initialization without its exit-time cleanup.
        .target(name: "COpenSSLLifetime", dependencies: ["COpenSSL"], linkerSettings: [.linkedLibrary("crypto")]),
        .target(
            name: "BenchCore",
            dependencies: ["BenchJSON", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        .target(
            name: "BenchStore",
            dependencies: [
                "BenchCore", "BenchProtocol", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BenchTLS",
            dependencies: [
                "COpenSSL",
                "COpenSSLLifetime",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // The JSON reader/writer on bytes and the one JSON value enum: pure Swift, no dependencies.
        .target(name: "BenchJSON", swiftSettings: strict),
        // Every wire type with its one decoder and one encoder: pure Swift, no NIO.
        .target(name: "BenchProtocol", dependencies: ["BenchCore", "BenchJSON"], swiftSettings: strict),
        .target(
            name: "BenchWire",
            dependencies: [
                "BenchJSON",
                "BenchProtocol",
                "BenchTLS",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BenchObservability",
            dependencies: [
                "BenchTLS",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BenchTrainer",
            dependencies: [
                "BenchJSON",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BenchAgent",
            dependencies: [
                "BenchCore",
                "BenchJSON",
                "BenchProtocol",
                "BenchStore",
                "BenchWire",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                "BenchObservability",
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BenchCoordinator",
            dependencies: [
                "BenchCore",
                "BenchJSON",
                "BenchProtocol",
                "BenchStore",
                "BenchWire",
                "BenchTLS",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                "BenchObservability",
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "mmmbench",
            dependencies: [
                "BenchCore", "BenchStore", "BenchTLS", "BenchJSON", "BenchProtocol", "BenchWire", "BenchTrainer",
                "BenchAgent",                "BenchCoordinator",
                "BenchObservability",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "mmmbench-bench",
            dependencies: [
                "BenchCore", "BenchStore", "BenchTLS", "BenchJSON", "BenchProtocol", "BenchWire", "BenchTrainer",
                "BenchAgent",                "BenchCoordinator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // Tests only: a process that uses OpenSSL after its exit handlers ran (OpenSSLExitTests runs it).
        .executableTarget(
            name: "openssl-exit-probe", dependencies: ["BenchTLS"], path: "Tests/OpenSSLExitProbe",
            swiftSettings: strict
        ),
        // Tests only: the sanitizer-aware scale of test waits (MMMBENCH_TEST_TIME_SCALE).
        .target(name: "TestTiming", path: "Tests/TestTiming", swiftSettings: strict),
        // Tests only: script files written without a descriptor a parallel test's child could inherit, and a
        // loopback port held closed.
        .target(
            name: "TestSupport", dependencies: [.product(name: "NIOConcurrencyHelpers", package: "swift-nio")],
            path: "Tests/TestSupport", swiftSettings: strict
        ),
        .testTarget(
            name: "BenchCoreTests",
            dependencies: ["BenchCore", .product(name: "PropertyBased", package: "swift-property-based")],
            exclude: ["Fixtures"],  // read by path (#filePath) in the tests, not bundled
            swiftSettings: strict
        ),
        .testTarget(
            name: "BenchStoreTests",
            dependencies: ["BenchStore", "BenchCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BenchTLSTests",
            dependencies: [
                "BenchTLS",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                "TestTiming",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BenchWireTests",
            dependencies: [
                "BenchWire", "BenchTLS", "BenchJSON", "BenchProtocol", "BenchCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                "TestTiming",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BenchTrainerTests",
            dependencies: [
                "BenchTrainer", "BenchCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                "TestSupport", "TestTiming",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BenchAgentTests",
            dependencies: [
                "BenchAgent", "BenchCore", "BenchStore", "BenchTrainer", "BenchWire", "BenchTLS", "BenchJSON",
                "BenchProtocol",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                "TestSupport", "TestTiming",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BenchCoordinatorTests",
            dependencies: [
                "BenchCoordinator", "BenchAgent", "BenchCore", "BenchStore", "BenchWire", "BenchTLS", "BenchJSON",
                "BenchProtocol",
                .product(name: "Clocks", package: "swift-clocks"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                "TestTiming",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BenchObservabilityTests",
            dependencies: [
                "BenchObservability", "BenchTLS", "BenchCore", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "BenchCore", "BenchStore", "BenchTLS", "BenchJSON", "BenchProtocol", "BenchWire",
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                "TestSupport", "TestTiming",
            ],
            swiftSettings: strict
        ),
    ]
)
