import ArgumentParser
import AsyncHTTPClient
import FoundationEssentials
import NIOCore
import NIOHTTP1

/// `vigil probe URL`: a health check for images that have no curl (the Dockerfile's HEALTHCHECK).
struct Probe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "GET a URL and exit 0 when it answers 2xx, 1 otherwise.",
        discussion: "For container health checks: vigil probe http://127.0.0.1:8080/v2/health/ready"
    )

    @Argument(help: "The http:// URL to GET.")
    var url: String

    @Option(help: "Seconds to wait for the answer.")
    var timeout: Double = 3

    func run() async throws {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw ValidationError("the URL must start with http:// or https://, not '\(url)'")
        }
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds") }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let status: Int
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .milliseconds(Int64(timeout * 1000)))
            status = Int(response.status.code)
            _ = try? await response.body.collect(upTo: 1 << 20)
        } catch {
            try? await client.shutdown()
            StandardError.write("\(url): \(error)\n")
            throw ExitCode.failure
        }
        try? await client.shutdown()
        print("\(url): HTTP \(status)")
        if !(200..<300).contains(status) { throw ExitCode.failure }
    }
}
