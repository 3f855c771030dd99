import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// After NIO's request decoder, once `HTTP1ServerCodec` has handed a connection over to it: NIO's
/// request parts become swift-http-types parts, as swift-nio-extras' `HTTP1ToHTTPServerCodec` converts
/// them (`secure: false`, cookies not split), and each head is noted with the codec, which frames the
/// answers.
///
/// swift-nio-extras' codec reads every request target with Foundation's `URLComponents`, to find the
/// path of an absolute-form target (`http://host/path`, which a client sends to a proxy). A target
/// that starts with `/` has no scheme, so that parse gives it back unchanged; here it is taken as it
/// is, and every other target goes through swift-nio-extras' own conversion.
final class NIORequestConversion: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPRequestPart

    private let codec: HTTP1ServerCodec

    init(codec: HTTP1ServerCodec) {
        self.codec = codec
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            codec.noteRequest(HTTP1ResponseHead.Request(head.method))
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
            if authority == nil, name.isBytewiseIgnoringASCIICase("host") {
                authority = value
                continue
            }
            guard let name = HTTPField.Name(sent: name) ?? HTTPField.Name(name) else { continue }
            fields.append(HTTPField(name: name, value: value))
        }
        self.init(method: try Method(head.method), scheme: "http", authority: authority, path: head.uri, headerFields: fields)
    }
}
