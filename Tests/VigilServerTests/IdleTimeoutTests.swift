import Foundation
import Testing

/// `--idle-timeout` closes keepalive connections that stay idle, so they cannot pile up behind a proxy.
struct IdleTimeoutTests {
    /// Connects to 127.0.0.1:`port`, sends `request` and reads until the server closes the connection
    /// or `seconds` pass; returns what was read and whether the server closed it.
    static func idleConnection(port: Int, request: String, seconds: Int, halfClose: Bool = false) throws -> (
        response: String, closedByServer: Bool
    ) {
        let fd = try LoopbackServer.connect(port: port)
        defer { close(fd) }
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        if halfClose { shutdown(fd, Int32(SHUT_WR)) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 { return (String(decoding: received, as: UTF8.self), true) }
            if count < 0 { return (String(decoding: received, as: UTF8.self), false) }
            received += buffer[0..<count]
        }
    }

    @Test func anIdleKeepaliveConnectionIsClosedAfterTheIdleTimeout() throws {
        let repository = try TestRepository(includeBroken: false)
        let vigil = try VigilProcess(arguments: ["--models", repository.directory.path, "--feature-log", "false", "--idle-timeout", "1s"])
        let request = "GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        // Answered, then left idle: Vigil closes it within the read wait of 10 s.
        let (response, closed) = try Self.idleConnection(port: vigil.port, request: request, seconds: 10)
        #expect(response.hasPrefix("HTTP/1.1 200"), "\(response)")
        #expect(closed, "the idle connection was still open after 10 s")
        _ = try vigil.stop(signal: SIGTERM)
    }

    @Test func withALongIdleTimeoutTheConnectionStaysOpen() throws {
        let repository = try TestRepository(includeBroken: false)
        let vigil = try VigilProcess(arguments: ["--models", repository.directory.path, "--feature-log", "false", "--idle-timeout", "60s"])
        let request = "GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        let (response, closed) = try Self.idleConnection(port: vigil.port, request: request, seconds: 3)
        #expect(response.hasPrefix("HTTP/1.1 200"), "\(response)")
        #expect(!closed, "closed before the idle timeout")
        _ = try vigil.stop(signal: SIGTERM)
    }
}

/// A body shorter than its `Content-Length`, then a half-close: a 400 that says so, never a 500.
struct TruncatedBodyTests {
    @Test func aBodyCutShortOfItsContentLengthIs400AndTheServerKeepsServing() throws {
        let repository = try TestRepository(includeBroken: false)
        let vigil = try VigilProcess(arguments: ["--models", repository.directory.path, "--feature-log", "false"])
        for path in ["/v2/models/reg32/infer", "/v1/models/reg32:predict"] {
            let request =
                "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"inputs\":"
            let (response, _) = try IdleTimeoutTests.idleConnection(port: vigil.port, request: request, seconds: 10, halfClose: true)
            #expect(response.hasPrefix("HTTP/1.1 400"), "\(response)")
            #expect(response.contains("ended before its Content-Length"), "\(response)")
        }
        // Gzip bodies are read by another path.
        let gzipped =
            "POST /v2/models/reg32/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Encoding: gzip\r\nContent-Length: 1000\r\n\r\n\u{1F}"
        let (response, _) = try IdleTimeoutTests.idleConnection(port: vigil.port, request: gzipped, seconds: 10, halfClose: true)
        #expect(response.hasPrefix("HTTP/1.1 400"), "\(response)")
        let (status, body) = try vigil.post(
            "/v2/models/reg32/infer", #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","data":[1,1]}]}"#)
        #expect(status == 200, "\(body)")
        #expect(!vigil.log.contains("request failed"), "\(vigil.log.suffix(1000))")
        _ = try vigil.stop(signal: SIGTERM)
    }
}

/// A thousand clients that connect and then stall (half with a request cut off mid-headers) are
/// cut by the idle timeout, and a good client is answered while they hold their connections.
struct IdleConnectionFloodTests {
    static let connections = 1000

    @Test func aThousandStalledConnectionsAreCutAndAGoodClientIsAnswered() throws {
        let repository = try TestRepository(includeBroken: false)
        let vigil = try VigilProcess(arguments: ["--models", repository.directory.path, "--feature-log", "false", "--idle-timeout", "2s"])
        var sockets: [Int32] = []
        defer { for fd in sockets { close(fd) } }
        for index in 0..<Self.connections {
            let fd = try #require(try? LoopbackServer.connect(port: vigil.port), "connection \(index) was refused")
            if index % 2 == 0 {
                _ = "GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".withCString { send(fd, $0, strlen($0), 0) }
            }
            sockets.append(fd)
        }
        let (status, _) = try vigil.get("/v2/health/ready")
        #expect(status == 200, "a good client was not answered while \(Self.connections) connections stalled")
        // Each stalled connection is closed by Vigil: reading it ends (EOF or reset) within the wait.
        // One deadline for all, so a broken timeout fails in seconds instead of waiting on each socket.
        var closed = 0
        let deadline = Date().addingTimeInterval(10)
        for fd in sockets {
            let remaining = max(deadline.timeIntervalSinceNow, 0.01)
            var timeout = timeval(tv_sec: Int(remaining), tv_usec: Int((remaining - remaining.rounded(.down)) * 1_000_000))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var buffer = [UInt8](repeating: 0, count: 512)
            var result = recv(fd, &buffer, buffer.count, 0)
            while result > 0 { result = recv(fd, &buffer, buffer.count, 0) }
            if result == 0 || (result < 0 && errno == ECONNRESET) { closed += 1 }
        }
        #expect(closed == Self.connections, "\(Self.connections - closed) stalled connections were still open")
        #expect(try vigil.get("/v2/health/live").0 == 200)
        #expect(try vigil.stop(signal: SIGTERM) == 0)
    }

    /// Sends `head`, then `trickle` one byte every 200 ms, until the server closes the connection or
    /// `seconds` pass; returns how long the server took to close it, or nil if it never did.
    static func trickle(port: Int, head: String, trickle: String, seconds: Double) throws -> Double? {
        let fd = try LoopbackServer.connect(port: port)
        defer { close(fd) }
        let start = Date()
        _ = head.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var bytes = Array(trickle.utf8)
        while Date().timeIntervalSince(start) < seconds {
            if bytes.isEmpty { bytes = Array(trickle.utf8) }
            let byte = bytes.removeFirst()
            let sent = withUnsafePointer(to: byte) { send(fd, $0, 1, Int32(MSG_NOSIGNAL)) }
            // A closed connection: the send fails, or a read finds the end (or the reset).
            if sent < 0 { return Date().timeIntervalSince(start) }
            let read = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if read == 0 || (read < 0 && errno != EAGAIN && errno != EWOULDBLOCK) { return Date().timeIntervalSince(start) }
            usleep(200_000)
        }
        return nil
    }

    @Test func aSlowLorisTrickleIsCutByTheTimeoutsWhileAGoodClientIsAnswered() throws {
        let repository = try TestRepository(includeBroken: false)
        let vigil = try VigilProcess(arguments: [
            "--models", repository.directory.path, "--feature-log", "false",
            "--idle-timeout", "2s", "--request-timeout", "2s",
        ])
        let good = #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","data":[1,2]}]}"#
        // A body that never finishes: a byte every 200 ms keeps the idle timer from ever firing.
        let bodyHead =
            "POST /v2/models/reg32/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
        let body = try Self.trickle(port: vigil.port, head: bodyHead, trickle: good, seconds: 12)
        #expect(body != nil && (body ?? 99) < 8, "a trickled body held its connection for \(body.map { "\($0) s" } ?? "the whole 12 s")")
        // Headers that never finish: a new header line every few bytes.
        let headerHead = "GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        let headers = try Self.trickle(port: vigil.port, head: headerHead, trickle: "X-Slow: a\r\n", seconds: 12)
        #expect(
            headers != nil && (headers ?? 99) < 8,
            "trickled headers held their connection for \(headers.map { "\($0) s" } ?? "the whole 12 s")")
        let (status, answer) = try vigil.post("/v2/models/reg32/infer", good)
        #expect(status == 200, "\(answer)")
        #expect(try vigil.stop(signal: SIGTERM) == 0)
    }
}
