import HummingbirdCore
import Logging
import NIOCore

/// HTTP/1 connections as Hummingbird's `HTTP1Channel` serves them, except that a connection that is
/// the only one open runs its requests on its own event loop's thread.
///
/// Hummingbird runs each connection's handler on Swift's global pool, so every request crosses from
/// the event loop to a pool thread and back. With one client those two hops are a large share of each
/// request's time: on the loop, one connection's throughput rose by 13–24% (README, Performance). With
/// many clients the pool is what keeps a descheduled loop thread from stalling every connection it
/// owns: pinning every connection doubled the p99 at 8 connections. So only a connection opened while
/// no other is open prefers its loop, and only for as long as it stays alone
/// (`LoneConnectionExecutor`); every other connection runs as Hummingbird runs it.
struct LoneConnectionChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    private let http1: HTTP1Channel
    private let open = OpenConnections()

    init(responder: @escaping HTTPChannelHandler.Responder, configuration: HTTP1Channel.Configuration) {
        self.http1 = HTTP1Channel(responder: responder, configuration: configuration)
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        http1.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        let alone = open.enter()
        defer { open.leave() }
        guard alone else { return await http1.handle(value: value, logger: logger) }
        await withTaskExecutorPreference(LoneConnectionExecutor(eventLoop: value.channel.eventLoop, open: open)) {
            await http1.handle(value: value, logger: logger)
        }
    }
}

extension HTTPServerBuilder {
    /// Vigil's HTTP/1 server: `LoneConnectionChannel` with `configuration`.
    static func vigilHTTP1(configuration: HTTP1Channel.Configuration) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in LoneConnectionChannel(responder: responder, configuration: configuration) }
    }
}
