import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Testing
@testable import VigilServer

/// Vigil's HTTP/1 server runs a lone connection's requests on its event loop, and every connection on
/// Swift's global pool while more than one is open (`LoneConnectionChannel`).
struct LoneConnectionTests {
    /// Runs a server whose one route answers where it ran ("loop" on an event loop's thread, "pool"
    /// off it) on a free loopback port while `body` runs with that port, then stops it.
    private static func withProbeServer(_ body: @Sendable (Int) async throws -> Void) async throws {
        let router = Router()
        router.get("where") { _, _ in Self.here }
        // As every Vigil route runs: through the check that sends heavy requests off the loop.
        router.post("where") { request, _ in try await LoneConnectionExecutor.offLoopIfHeavy(request) { Self.here } }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, server: .vigilHTTP1(configuration: .init()),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
                              logger: .quiet)
        let group = ServiceGroup(configuration: .init(services: [app], logger: .quiet))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        do {
            try await body(port)
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await task.value
            throw error
        }
        await group.triggerGracefulShutdown()
        try await task.value
    }

    /// Where the code asking runs: "loop" on an event loop's thread, "pool" off it.
    private static var here: String { MultiThreadedEventLoopGroup.currentEventLoop == nil ? "pool" : "loop" }

    /// One keepalive connection to 127.0.0.1:`port`. Its read timeout is long: off a lone connection's
    /// loop, the probe's answers run on Swift's pool, which the suite's synchronous tests (sleeps,
    /// child processes) can keep busy for a while; a full local run once waited out the default 15 s.
    private static func connection(_ port: Int) -> TestClient {
        let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(180)))
        client.connect()
        return client
    }

    private static func place(_ client: TestClient) async throws -> String {
        let response = try await client.get("/where")
        #expect(response.status == .ok)
        return response.body.map { String(buffer: $0) } ?? ""
    }

    /// Asks `client` where its requests run until the answer is `expected`, or 100 times 50 ms.
    private static func waitForPlace(_ client: TestClient, _ expected: String) async throws -> String {
        var place = try await Self.place(client)
        for _ in 0..<100 where place != expected {
            try await Task.sleep(for: .milliseconds(50))
            place = try await Self.place(client)
        }
        return place
    }

    @Test func aLoneConnectionRunsOnItsLoopAndLeavesItWhileAnotherIsOpen() async throws {
        try await Self.withProbeServer { port in
            let first = Self.connection(port)
            for _ in 0..<3 { #expect(try await Self.place(first) == "loop") }
            let second = Self.connection(port)
            #expect(try await Self.place(second) == "pool")
            // The lone connection's next requests go to the pool while the second is open.
            for _ in 0..<3 { #expect(try await Self.place(first) == "pool") }
            try await second.shutdown()
            // Back on its loop once the server has seen the second connection close.
            #expect(try await Self.waitForPlace(first, "loop") == "loop")
            try await first.shutdown()
        }
    }

    @Test func aConnectionOpenedBesideAnotherStaysOnThePoolWhenItIsLeftAlone() async throws {
        try await Self.withProbeServer { port in
            let first = Self.connection(port)
            #expect(try await Self.place(first) == "loop")
            let second = Self.connection(port)
            #expect(try await Self.place(second) == "pool")
            try await first.shutdown()
            // Alone now, but it opened beside another, so it never prefers the loop. Asked for a
            // second, long after the server has seen the first connection close.
            for _ in 0..<20 {
                #expect(try await Self.place(second) == "pool")
                try await Task.sleep(for: .milliseconds(50))
            }
            try await second.shutdown()
        }
    }

    @Test func aClientThatClosesItsConnectionsAndOpensOneIsAlone() async throws {
        try await Self.withProbeServer { port in
            // As a load tool does between runs: eight connections used and closed, then a new one at once.
            for _ in 0..<5 {
                var clients: [TestClient] = []
                for _ in 0..<8 { clients.append(Self.connection(port)) }
                for client in clients { _ = try await Self.place(client) }
                for client in clients { try await client.shutdown() }
                let next = Self.connection(port)
                #expect(try await Self.place(next) == "loop")
                try await next.shutdown()
            }
        }
    }

    @Test func onALoneConnectionOnlySmallDeclaredBodiesStayOnTheLoop() async throws {
        try await Self.withProbeServer { port in
            let client = Self.connection(port)
            func place(_ bytes: Int, _ headers: HTTPFields = [:]) async throws -> String {
                let response = try await client.post("/where", headers: headers, body: ByteBuffer(repeating: UInt8(ascii: "x"), count: bytes))
                return response.body.map { String(buffer: $0) } ?? ""
            }
            #expect(try await place(100) == "loop")
            #expect(try await place(LoneConnectionExecutor.largestLoopBody) == "loop")
            #expect(try await place(LoneConnectionExecutor.largestLoopBody + 1) == "pool")
            #expect(try await place(100, [.contentEncoding: "gzip"]) == "pool")
            // The route without the check stays where the connection runs.
            #expect(try await Self.place(client) == "loop")
            try await client.shutdown()
        }
    }

    @Test func whetherAConnectionIsAloneIsAskedAtItsFirstRequest() async throws {
        try await Self.withProbeServer { port in
            // A connection that never sends (a load tool's address check) is open when the next is
            // accepted, and gone before that one's first request.
            let check = Self.connection(port)
            _ = try await check.getChannel()
            let client = Self.connection(port)
            _ = try await client.getChannel()
            try await check.shutdown()
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await Self.place(client) == "loop")
            try await client.shutdown()
        }
    }
}
