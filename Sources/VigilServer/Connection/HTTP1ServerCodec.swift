import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// The HTTP/1 server codec between NIO's request decoder and Hummingbird: request heads become
/// swift-http-types heads as swift-nio-extras' `HTTP1ToHTTPServerCodec` converts them (`secure: false`,
/// cookies not split), and responses are written to bytes as NIO's `HTTPResponseEncoder` writes the
/// heads that codec converts them to, without either's per-request costs.
///
/// - Request heads: that codec reads every request target with Foundation's `URLComponents`, to find
///   the path of an absolute-form target (`http://host/path`, which a client sends to a proxy): about
///   3,600 of the 259,000 instructions of a one-row inference request. A target that starts with `/`
///   (origin form, what every other client sends) has no scheme, so that parse gives it back
///   unchanged; here it is taken as it is, and every other target goes through swift-nio-extras' own
///   conversion. Header names that clients commonly send, spelled as they usually are, come from a
///   table (`HTTPField.Name(sent:)`) instead of being validated and lowercased into new strings.
/// - Responses: the conversion to NIO's head copied every field into new `HTTPHeaders`, boxed the
///   head, and NIO's encoder searched the fields case-insensitively and wrote the head in four writes
///   a field, about 1,100 instructions each. Here the head is framed as that encoder frames it
///   (`HTTP1ResponseHead`) and written with one bounds check. Responses to `HEAD` and `CONNECT`
///   requests carry no body, as there.
///
/// `HTTP1ServerCodecTests` checks both directions against swift-nio-extras' codec and NIO's encoder,
/// byte for byte.
final class HTTP1ServerCodec: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = IOData

    /// The requests still owed a final response, oldest first: whether each was `HEAD` or `CONNECT`.
    private var awaiting = CircularBuffer<HTTP1ResponseHead.Request>(initialCapacity: 4)
    /// Set from a response's head to its end when it answers a `HEAD` or `CONNECT` request.
    private var suppressesBody = false
    /// Whether the current response's body goes out in chunks.
    private var chunked = false

    /// The handlers of an HTTP/1 server connection: NIO's request decoder with `limits`, then this codec.
    static func addHandlers(to pipeline: ChannelPipeline.SynchronousOperations, limits: NIOHTTPDecoderLimitConfiguration) throws {
        try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes, limitConfiguration: limits)))
        try pipeline.addHandler(HTTP1ServerCodec())
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            awaiting.append(HTTP1ResponseHead.Request(head.method))
            do {
                context.fireChannelRead(wrapInboundOut(.head(try HTTPRequest(serverHead: head))))
            } catch {
                context.fireErrorCaught(error)
            }
        case .body(let body):
            context.fireChannelRead(wrapInboundOut(.body(body)))
        case .end(let trailers):
            context.fireChannelRead(wrapInboundOut(.end(trailers.map { HTTPFields($0, splitCookie: false) })))
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let response):
            // A non-final informational response (1xx but 101) is followed by another head for the
            // same request.
            let code = response.status.code
            var request = HTTP1ResponseHead.Request.other
            if !((100..<200).contains(code) && code != 101), let answered = awaiting.popFirst() {
                request = answered
                suppressesBody = answered != .other
            }
            let head = HTTP1ResponseHead(response, answering: request)
            chunked = head.isChunked && !suppressesBody
            var bytes = context.channel.allocator.buffer(capacity: head.byteCount)
            head.write(into: &bytes)
            context.write(wrapOutboundOut(.byteBuffer(bytes)), promise: promise)
        case .body(let body):
            if suppressesBody {
                // As NIO's encoder does: the write fails, and nothing is written for it.
                promise?.fail(NIOHTTPResponseEncoderError.responseBodyNotAllowed)
            } else if chunked && body.readableBytes > 0 {
                var size = context.channel.allocator.buffer(capacity: 16)
                size.writeString(String(body.readableBytes, radix: 16))
                size.writeStaticString("\r\n")
                context.write(wrapOutboundOut(.byteBuffer(size)), promise: nil)
                context.write(wrapOutboundOut(.byteBuffer(body)), promise: nil)
                context.write(wrapOutboundOut(.byteBuffer(ByteBuffer(staticString: "\r\n"))), promise: promise)
            } else {
                context.write(wrapOutboundOut(.byteBuffer(body)), promise: promise)
            }
        case .end(let trailers):
            suppressesBody = false
            if chunked {
                var last = context.channel.allocator.buffer(capacity: 5)
                last.writeStaticString("0\r\n")
                HTTP1ResponseHead.writeFields(trailers ?? HTTPFields(), into: &last)
                context.write(wrapOutboundOut(.byteBuffer(last)), promise: promise)
            } else if let promise {
                // Nothing to write, but the promise completes in order with the writes before it.
                context.write(wrapOutboundOut(.byteBuffer(context.channel.allocator.buffer(capacity: 0))), promise: promise)
            }
        }
    }
}

extension HTTPRequest {
    /// The request `head` describes, as `HTTPRequest(head, secure: false, splitCookie: false)` makes it:
    /// the first `Host` field is the authority and is left out of the fields, and a field whose name is
    /// not a valid token is dropped.
    init(serverHead head: HTTPRequestHead) throws {
        guard head.uri.utf8.first == UInt8(ascii: "/") else {
            self = try HTTPRequest(head, secure: false, splitCookie: false)
            return
        }
        var fields = HTTPFields()
        fields.reserveCapacity(head.headers.count)
        var authority: String?
        for (name, value) in head.headers {
            if authority == nil, name.utf8.equalsIgnoringASCIICase("host".utf8) {
                authority = value
                continue
            }
            guard let name = HTTPField.Name(sent: name) ?? HTTPField.Name(name) else { continue }
            fields.append(HTTPField(name: name, value: value))
        }
        self.init(method: try Method(head.method), scheme: "http", authority: authority, path: head.uri, headerFields: fields)
    }
}

extension HTTPField.Name {
    /// The name for a header spelled as clients commonly send it (`curl`, Python's `requests`,
    /// `tritonclient`, `wrk`, nginx), or nil for any other spelling. The raw name is the one sent, so the
    /// result equals `HTTPField.Name(name)`.
    init?(sent name: String) {
        // By length first: a name of 16 bytes or more is not a small string, and comparing it with
        // every case in turn costs about 1,000 instructions for `Inference-Header-Content-Length`.
        switch name.utf8.count {
        case 6: guard name == "Accept" else { return nil }; self = .accept
        case 10:
            switch name {
            case "User-Agent": self = .userAgent
            case "Connection": self = .connection
            default: return nil
            }
        case 12:
            switch name {
            case "Content-Type": self = .contentType
            case "content-type": self = .contentTypeLowercase
            default: return nil
            }
        case 14:
            switch name {
            case "Content-Length": self = .contentLength
            case "content-length": self = .contentLengthLowercase
            default: return nil
            }
        case 15:
            switch name {
            case "Accept-Encoding": self = .acceptEncoding
            case "X-Forwarded-For": self = .xForwardedFor
            default: return nil
            }
        case 16: guard name == "Content-Encoding" else { return nil }; self = .contentEncoding
        case 17: guard name == "X-Forwarded-Proto" else { return nil }; self = .xForwardedProto
        case 31: guard name == "Inference-Header-Content-Length" else { return nil }; self = .inferenceHeaderContentLength
        default: return nil
        }
    }
}

extension String.UTF8View {
    /// Whether these bytes equal `other`'s, ignoring ASCII case.
    fileprivate func equalsIgnoringASCIICase(_ other: String.UTF8View) -> Bool {
        guard count == other.count else { return false }
        for (a, b) in zip(self, other) where a != b {
            guard a | 0x20 == b | 0x20, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(a | 0x20) else { return false }
        }
        return true
    }
}
