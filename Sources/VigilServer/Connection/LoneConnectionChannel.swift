import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// HTTP/1 connections as Hummingbird's `HTTP1Channel` serves them, except that a connection that is
/// the only one open runs its requests on its own event loop's thread, and that `HTTP1ServerCodec`
/// converts request heads and writes responses.
///
/// Hummingbird runs each connection's handler on Swift's global pool, so every request crosses from
/// the event loop to a pool thread and back. With one client those two hops are a large share of each
/// request's time: on its loop, one connection did 13% more requests (README, Performance). With many
/// clients the pool is what keeps a descheduled loop thread from stalling every connection it owns:
/// pinning every connection to its loop doubled the p99 at 8 connections. So only a connection that
/// is alone when its first request arrives prefers its loop, and only while it stays alone
/// (`LoneConnectionExecutor`); every other connection runs as Hummingbird runs it.
///
/// Only light requests run on the loop (`LoneConnectionExecutor.offLoopIfHeavy`): a connection that
/// arrived on the same loop while a 100,000-row body was being predicted there waited for all of it,
/// up to 77 ms (`bench/serve/beside_large_bodies.py`).
struct LoneConnectionChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    private let http1: HTTP1Channel
    private let open = OpenConnections()

    init(responder: @escaping HTTPChannelHandler.Responder, configuration: HTTP1Channel.Configuration) {
        self.http1 = HTTP1Channel(responder: responder, configuration: configuration)
    }

    /// The pipeline `HTTP1Channel.setup` (hummingbird 2.28.1) builds, with `OpenConnections.Presence`
    /// first and `HTTP1ServerCodec` in place of NIO's response encoder and swift-nio-extras'
    /// `HTTP1ToHTTPServerCodec`.
    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let configuration = http1.configuration
        return channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            // First in the pipeline, so it sees the client's end of input as soon as it arrives.
            try pipeline.addHandler(OpenConnections.Presence(open: open, eventLoop: channel.eventLoop))
            var limits = NIOHTTPDecoderLimitConfiguration()
            limits.maxHeaderFieldSize = configuration.httpDecoder.maxHeaderFieldSize
            limits.maxHeaderListSize = configuration.httpDecoder.maxHeaderListSize
            limits.maxHeaderFieldCount = configuration.httpDecoder.maxHeaderFieldCount
            // What `configureHTTPServerPipeline` adds without pipelining assistance, error handling
            // or outbound header validation (Hummingbird answers errors, and swift-http-types
            // validates fields), with `HTTP1ServerCodec` in place of NIO's response encoder.
            try HTTP1ServerHandlers.add(to: pipeline, limits: limits)
            try pipeline.addHandlers(configuration.additionalChannelHandlers())
            try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: configuration.idleTimeout.map { .init($0) }, logger: logger))
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value: Value, logger: Logger) async {
        // Whether it is alone is asked when its first request arrives, not when it is accepted: a
        // client may have just closed others (a load tool's address check, an earlier run), and
        // their end of input is read by then.
        await Self.firstBytes(of: value.channel)
        guard open.lone else { return await http1.handle(value: value, logger: logger) }
        let executor = LoneConnectionExecutor(eventLoop: value.channel.eventLoop, open: open)
        await LoneConnectionExecutor.$current.withValue(executor) {
            await withTaskExecutorPreference(executor) { await http1.handle(value: value, logger: logger) }
        }
    }
}

extension LoneConnectionChannel {
    /// Waits for `channel`'s first bytes, or its end before any. A connection that never sends does
    /// not hold up a graceful shutdown: Hummingbird's connection state handler, in the pipeline, closes
    /// it when the server quiesces (`GracefulShutdownTests`).
    private static func firstBytes(of channel: any Channel) async {
        let presence = channel.eventLoop.submit { try channel.pipeline.syncOperations.handler(type: OpenConnections.Presence.self).firstBytes }
        guard let firstBytes = try? await presence.get() else { return }
        try? await firstBytes.futureResult.get()
    }
}

extension HTTPServerBuilder {
    /// Vigil's HTTP/1 server: `LoneConnectionChannel` with `configuration`.
    static func vigilHTTP1(configuration: HTTP1Channel.Configuration) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in LoneConnectionChannel(responder: responder, configuration: configuration) }
    }
}
