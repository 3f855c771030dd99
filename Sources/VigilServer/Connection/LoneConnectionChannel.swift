import HummingbirdCore
import Logging
import NIOCore

/// HTTP/1 connections as Hummingbird's `HTTP1Channel` serves them, except that a connection that is
/// the only one open runs its requests on its own event loop's thread.
///
/// Hummingbird runs each connection's handler on Swift's global pool, so every request crosses from
/// the event loop to a pool thread and back. With one client those two hops are a large share of each
/// request's time: on its loop, one connection did 13% more requests (README, Performance). With many
/// clients the pool is what keeps a descheduled loop thread from stalling every connection it owns:
/// pinning every connection to its loop doubled the p99 at 8 connections. So only a connection that
/// is alone when its handler starts prefers its loop, and only while it stays alone
/// (`LoneConnectionExecutor`); every other connection runs as Hummingbird runs it.
///
/// While alone, a connection's whole request runs on the loop, a large body's parse and inference
/// included; a second connection that arrives meanwhile on the same loop waits for that request's
/// current step. Measured with 100,000-row bodies on one connection and a new connection for each
/// one-row request beside it, the one-row latencies were the same as with every request on the pool.
struct LoneConnectionChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    private let http1: HTTP1Channel
    private let open = OpenConnections()

    init(responder: @escaping HTTPChannelHandler.Responder, configuration: HTTP1Channel.Configuration) {
        self.http1 = HTTP1Channel(responder: responder, configuration: configuration)
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            // First in the pipeline, so it sees the client's end of input as soon as it arrives.
            try channel.pipeline.syncOperations.addHandler(OpenConnections.Presence(open: open))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return http1.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        guard open.lone else { return await http1.handle(value: value, logger: logger) }
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
