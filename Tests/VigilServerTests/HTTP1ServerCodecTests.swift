import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import Testing
@testable import VigilServer

/// `HTTP1ServerCodec` against the codec it stands in for, swift-nio-extras' `HTTP1ToHTTPServerCodec`:
/// the same bytes through NIO's HTTP/1 decoder and either codec give the same parts, raw header names
/// and all.
struct HTTP1ServerCodecTests {
    static let requests: [String] = [
        "POST /v2/models/iris/infer HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
        "POST /v2/models/iris/infer HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\nInference-Header-Content-Length: 0\r\nContent-Length: 0\r\n\r\n",
        "POST /v2/models/iris/infer HTTP/1.1\r\nhost: a\r\ncontent-type: application/json\r\ncontent-length: 0\r\ninference-header-content-length: 0\r\n\r\n",
        "POST /v2/models/iris/infer HTTP/1.1\r\nHOST: a\r\nCONTENT-TYPE: application/json\r\nContent-length: 0\r\n\r\n",
        "GET /v2/health/ready HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.0\r\n\r\n",
        "GET /metrics HTTP/1.1\r\nHost: first\r\nHost: second\r\nAccept: */*\r\n\r\n",
        "GET /metrics HTTP/1.1\r\nAccept: */*\r\nHost: late\r\n\r\n",
        "GET /vigil/dashboard?model=iris&window=1h%20ago HTTP/1.1\r\nHost: x\r\nUser-Agent: curl/8.5.0\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n",
        "GET //double//slashes/../x HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /redirect?to=http://elsewhere/path HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET http://example.com:8000/v2/health/ready?verbose=1 HTTP/1.1\r\nHost: example.com:8000\r\n\r\n",
        "GET http://example.com HTTP/1.1\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
        "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
        "POST /v2/models/iris/infer HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nX-Forwarded-For: 10.0.0.1, 10.0.0.2\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Prefix: /vigil\r\nContent-Length: 0\r\n\r\n",
        "GET /vigil/ HTTP/1.1\r\nHost: x\r\nCookie: a=1; b=2\r\nCookie: c=3\r\nX-Custom_Header: with underscore\r\n\r\n",
        "DELETE /v2/repository/models/iris HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer secret\r\n\r\n",
        "POST /v1/models/iris:predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nTrailer-One: 1\r\n\r\n",
    ]

    @Test(arguments: requests)
    func bytesGiveTheSamePartsAsSwiftNIOExtrasCodec(_ request: String) throws {
        let ours = try Self.parts(of: request, through: HTTP1ServerCodec())
        let theirs = try Self.parts(of: request, through: HTTP1ToHTTPServerCodec(secure: false))
        #expect(!ours.isEmpty)
        #expect(ours == theirs)
        #expect(ours.map(Self.rawNames) == theirs.map(Self.rawNames))
    }

    /// Heads NIO's parser would refuse, built by hand: a name that is not a token is dropped, a value
    /// with control bytes is made lenient, as swift-nio-extras' conversion does.
    @Test func handBuiltHeadsConvertAsSwiftNIOExtrasDoes() throws {
        let heads: [HTTPRequestHead] = [
            HTTPRequestHead(version: .http1_1, method: .POST, uri: "/v2/models/x/infer",
                            headers: ["Bad Name": "1", "Content-Type": "a\u{1}b", "": "empty", "Host": "h", "host": "second"]),
            HTTPRequestHead(version: .http1_1, method: .RAW(value: "PURGE"), uri: "/cache", headers: ["Inference-Header-Content-Length": " 12 "]),
            HTTPRequestHead(version: .http1_1, method: .GET, uri: "", headers: [:]),
            HTTPRequestHead(version: .http1_1, method: .GET, uri: "relative/path", headers: ["Host": "x"]),
        ]
        for head in heads {
            let ours = try HTTPRequest(serverHead: head)
            let theirs = try HTTPRequest(head, secure: false, splitCookie: false)
            #expect(ours == theirs)
            #expect(ours.headerFields.map(Self.rawName) == theirs.headerFields.map(Self.rawName))
        }
    }

    @Test func aMethodNIOCannotNameIsRefusedAsSwiftNIOExtrasRefusesIt() {
        let head = HTTPRequestHead(version: .http1_1, method: .RAW(value: "BAD METHOD"), uri: "/", headers: [:])
        #expect(throws: (any Error).self) { try HTTPRequest(serverHead: head) }
        #expect(throws: (any Error).self) { try HTTPRequest(head, secure: false, splitCookie: false) }
    }

    @Test func theTableOfSentNamesKeepsTheirSpelling() throws {
        for name in ["Content-Type", "Content-Length", "Accept", "Accept-Encoding", "User-Agent", "Connection", "Content-Encoding",
                     "Inference-Header-Content-Length", "X-Forwarded-For", "X-Forwarded-Proto", "content-type", "content-length"] {
            let fromTable = try #require(HTTPField.Name(sent: name))
            let parsed = try #require(HTTPField.Name(name))
            #expect(fromTable.rawName == parsed.rawName)
            #expect(fromTable.canonicalName == parsed.canonicalName)
        }
        #expect(HTTPField.Name(sent: "CONTENT-TYPE") == nil)
    }

    /// The response goes out as NIO's `HTTPResponseHead`, as swift-nio-extras writes it.
    @Test func theAnswerIsWrittenAsSwiftNIOExtrasWritesIt() throws {
        var response = HTTPResponse(status: .ok)
        response.headerFields[.contentType] = "application/octet-stream"
        response.headerFields[.inferenceHeaderContentLength] = "237"
        let ours = try Self.written(response, through: HTTP1ServerCodec())
        let theirs = try Self.written(response, through: HTTP1ToHTTPServerCodec(secure: false))
        #expect(ours == theirs)
        #expect(ours.contains("Inference-Header-Content-Length: 237\r\n"))
    }

    private static func rawNames(_ part: HTTPRequestPart) -> [String] {
        switch part {
        case .head(let head): head.headerFields.map(rawName)
        case .body: []
        case .end(let trailers): trailers?.map(rawName) ?? []
        }
    }

    private static func rawName(_ field: HTTPField) -> String { field.name.rawName }

    private static func parts(of request: String, through codec: some ChannelHandler & Sendable) throws -> [HTTPRequestPart] {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: false)
        try channel.pipeline.syncOperations.addHandler(codec)
        try channel.writeInbound(ByteBuffer(string: request))
        var parts: [HTTPRequestPart] = []
        while let part = try channel.readInbound(as: HTTPRequestPart.self) { parts.append(part) }
        _ = try? channel.finish()
        return parts
    }

    private static func written(_ response: HTTPResponse, through codec: some ChannelHandler & Sendable) throws -> String {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: false)
        try channel.pipeline.syncOperations.addHandler(codec)
        try channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
        while try channel.readInbound(as: HTTPRequestPart.self) != nil {}
        try channel.writeOutbound(HTTPResponsePart.head(response))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        var text = ""
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) { text += buffer.readString(length: buffer.readableBytes) ?? "" }
        _ = try? channel.finish()
        return text
    }
}
