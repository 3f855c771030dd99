import HTTPTypes
import NIOCore
public import NIOEmbedded
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import VigilServer

/// What an HTTP/1 server pipeline reads from a connection's bytes: Vigil's (`HTTP1ServerHandlers`),
/// or NIO's own with swift-nio-extras' conversion, which Vigil's must match. The `http1` fuzz target
/// and `HTTP1ServerCodecTests` compare the two.
public struct HTTP1Reading: Equatable, CustomStringConvertible {
    /// Each part as text, raw header names included; a request's body parts are joined, since how a
    /// body is sliced may differ.
    public var parts: [String] = []
    /// The errors raised, apart from the parts and not by the write that raised them: NIO may find a
    /// bad field a few bytes sooner than Vigil's codec (which hands a request over once the field's
    /// line is whole, or at the end of input). After a parse error NIO's decoder refuses each later
    /// write (`dataReceivedInErrorState`); the codec hands over the start of a head in one write where
    /// NIO saw several, so those are left out.
    public var errors: [String] = []

    public var description: String { "parts \(parts) errors \(errors)" }

    public enum Side: Sendable { case vigil, nio }

    /// An embedded channel with `side`'s handlers: Vigil's, or NIO's server pipeline as Vigil
    /// configures it (no pipelining assistance, error handling or header validation) and then
    /// swift-nio-extras' codec.
    public static func channel(_ side: Side) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        let pipeline = channel.pipeline.syncOperations
        switch side {
        case .vigil:
            try HTTP1ServerHandlers.add(to: pipeline)
        case .nio:
            try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false)
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
        }
        return channel
    }

    /// What `side` reads from `chunks` written in turn, then the end of input.
    public static func read(_ chunks: [[UInt8]], side: Side) throws -> HTTP1Reading {
        let channel = try channel(side)
        var reading = HTTP1Reading()
        for chunk in chunks {
            do {
                try channel.writeInbound(ByteBuffer(bytes: chunk))
            } catch let error as ByteToMessageDecoderError {
                if case .dataReceivedInErrorState = error {} else { reading.errors.append("\(error)") }
            } catch {
                reading.errors.append("\(error)")
            }
            try reading.collect(from: channel)
        }
        do { _ = try channel.finish() } catch { reading.errors.append("\(error)") }
        try reading.collect(from: channel)
        return reading
    }

    private mutating func collect(from channel: EmbeddedChannel) throws {
        while let part = try channel.readInbound(as: HTTPRequestPart.self) {
            switch part {
            case .head(let head):
                parts.append("head \(head) \(head.headerFields.map(\.name.rawName))")
            case .body(let body):
                if let last = parts.last, last.hasPrefix("body ") {
                    parts[parts.count - 1] = last + String(buffer: body)
                } else {
                    parts.append("body " + String(buffer: body))
                }
            case .end(let trailers):
                parts.append("end \(String(describing: trailers))")
            }
        }
    }
}
