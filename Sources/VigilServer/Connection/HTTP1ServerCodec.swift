import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// NIO's HTTP/1 parts as swift-http-types parts and back, as swift-nio-extras' `HTTP1ToHTTPServerCodec`
/// converts them (`secure: false`, cookies not split), without its per-request URL parse.
///
/// That codec reads every request target with Foundation's `URLComponents`, to find the path of an
/// absolute-form target (`http://host/path`, which a client sends to a proxy): about 3,600 of the
/// 259,000 instructions of a one-row inference request. A target that starts with `/` (origin form,
/// what every other client sends) has no scheme, so that parse gives it back unchanged; here it is
/// taken as it is, and every other target goes through swift-nio-extras' own conversion. Header names
/// that clients commonly send, spelled as they usually are, come from a table (`HTTPField.Name(sent:)`)
/// instead of being validated and lowercased into new strings. `HTTP1ServerCodecTests` checks the
/// result against swift-nio-extras' conversion, request head by request head.
final class HTTP1ServerCodec: ChannelDuplexHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
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
            context.write(wrapOutboundOut(.head(HTTPResponseHead(response))), promise: promise)
        case .body(let body):
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: promise)
        case .end(let trailers):
            context.write(wrapOutboundOut(.end(trailers.map(HTTPHeaders.init))), promise: promise)
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
        switch name {
        case "Content-Type": self = .contentType
        case "Content-Length": self = .contentLength
        case "Accept": self = .accept
        case "Accept-Encoding": self = .acceptEncoding
        case "User-Agent": self = .userAgent
        case "Connection": self = .connection
        case "Content-Encoding": self = .contentEncoding
        case "Inference-Header-Content-Length": self = .inferenceHeaderContentLength
        case "X-Forwarded-For": self = .xForwardedFor
        case "X-Forwarded-Proto": self = .xForwardedProto
        case "content-type": self = .contentTypeLowercase
        case "content-length": self = .contentLengthLowercase
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
