// swift-tools-version: 6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Vigil",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vigil", targets: ["vigil"])
    ],
    dependencies: [
        // No default traits: "FullFoundation" links all of Foundation and its 38 MB of ICU data, and
        // "ConfigurationSupport" brings swift-configuration, which Vigil does not use.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        // Already in the graph through Hummingbird; named for the HTTP part types that
        // `RequestBodyDeadline`, a channel handler, reads.
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // Fleet mode: the shared store on PostgreSQL.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CMallocTuning"),
        .target(name: "CFloatKernels"),
        .target(
            name: "VigilModels",
            dependencies: ["CZlib", "CFloatKernels", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "VigilStats",
            swiftSettings: strictSettings
        ),
        .target(
            name: "VigilStore",
            dependencies: [
                "CSQLite", "VigilStats", "VigilModels",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "VigilMonitor",
            dependencies: [
                "VigilStore",
                "VigilStats",
                "VigilModels",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "VigilServer",
            dependencies: [
                "VigilMonitor",
                "VigilStore",
                "VigilStats",
                "VigilModels",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "vigil",
            dependencies: [
                "CMallocTuning",
                "VigilServer",
                "VigilMonitor",
                "VigilStore",
                "VigilModels",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "FeatureLogBenchmark",
            dependencies: ["VigilMonitor", "VigilStore", "VigilStats", "VigilModels"],
            path: "bench/FeatureLogBenchmark",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "DriftBenchmark",
            dependencies: ["VigilMonitor", "VigilStore", "VigilStats", "VigilModels"],
            path: "bench/DriftBenchmark",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "FleetStoreBenchmark",
            dependencies: ["VigilMonitor", "VigilStore", "VigilStats", "VigilModels"],
            path: "bench/FleetStoreBenchmark",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "EngineBenchmark",
            dependencies: ["VigilModels", "CMallocTuning"],
            path: "bench/EngineBenchmark",
            swiftSettings: strictSettings
        ),
        .target(
            name: "FuzzTargets",
            dependencies: [
                "VigilServer", "VigilModels", "VigilMonitor", "VigilStore",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Fuzz/Targets",
            swiftSettings: strictSettings
        ),
        // tools/fuzz.sh builds it with libFuzzer (-sanitize=fuzzer -DFUZZING); built plainly, it replays inputs.
        .executableTarget(
            name: "VigilFuzz",
            dependencies: ["FuzzTargets"],
            path: "Fuzz/Main",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilModelsTests",
            dependencies: ["VigilModels", "CFloatKernels"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilStatsTests",
            dependencies: ["VigilStats"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilStoreTests",
            dependencies: ["VigilStore", "VigilStats", "VigilModels", "CSQLite"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilMonitorTests",
            dependencies: ["VigilMonitor", "VigilStore", "VigilStats", "VigilModels"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilServerTests",
            dependencies: [
                "VigilServer",
                "VigilMonitor",
                "VigilStore",
                "VigilStats",
                "VigilModels",
                "FuzzTargets",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
