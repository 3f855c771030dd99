public import NIOCore
public import NIOHTTP1

/// Vigil's HTTP/1 server handlers, between a connection's bytes and swift-http-types' parts:
/// `HTTP1ServerCodec`, which reads plain requests itself and hands others to NIO's decoder. What
/// `LoneConnectionChannel` adds to every connection; public for the differential fuzz target
/// (`Fuzz/`), which compares it with NIO's own pipeline.
public enum HTTP1ServerHandlers {
    /// Adds the handlers to `pipeline`; NIO's decoder, when it takes over, is bounded by `limits`.
    public static func add(to pipeline: ChannelPipeline.SynchronousOperations, limits: NIOHTTPDecoderLimitConfiguration = .init()) throws {
        try pipeline.addHandler(HTTP1ServerCodec(limits: limits))
    }
}
