// swift-tools-version: 6.1
// The HTTP ceiling for bench/serve/run.sh: a bare Hummingbird route that answers every POST with a fixed
// body of the size of Vigil's reply. Its own package, so `swift build` of Vigil never builds it.
import PackageDescription

let package = Package(
    name: "Ceiling",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
    ],
    targets: [
        .executableTarget(name: "Ceiling", dependencies: [.product(name: "Hummingbird", package: "hummingbird")]),
    ]
)
