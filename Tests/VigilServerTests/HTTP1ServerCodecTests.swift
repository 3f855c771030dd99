import FuzzTargets
import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import Testing
@testable import VigilServer

/// `HTTP1ServerCodec` against what it stands in for, swift-nio-extras' `HTTP1ToHTTPServerCodec` and
/// NIO's `HTTPResponseEncoder`: the same request bytes give the same parts, raw header names and all,
/// and the same response parts give the same bytes.
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

    /// Which of `requests` the codec reads itself (`HTTP1RequestHeadParser`'s plain heads); NIO's
    /// decoder reads the others.
    static let readByTheCodec: Set<Int> = [0, 1, 2, 4, 6, 7, 8, 9, 10, 15, 16, 17]

    @Test(arguments: requests.indices)
    func bytesGiveTheSamePartsAsSwiftNIOExtrasCodec(_ index: Int) throws {
        let request = Self.requests[index]
        let ours = try Self.parts(of: request, side: .vigil)
        let theirs = try Self.parts(of: request, side: .nio)
        #expect(!ours.isEmpty)
        #expect(ours == theirs)
        #expect(ours.map(Self.rawNames) == theirs.map(Self.rawNames))
        #expect(try Self.readsItself(request) == Self.readByTheCodec.contains(index), "\(request.debugDescription)")
    }

    /// Heads at the edge of plain, each read as NIO reads it whether the codec reads it or hands it
    /// over, and whole, split in two at every byte, and a byte at a time, alone and between two plain
    /// requests on one connection; and cut short at every byte, which both answer with the same error.
    static let edgeRequests: [String] = [
        "GET /a HTTP/1.1\r\nHost: x\r\nX-Empty:\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: x\r\nX-Trailing: value \r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: x\r\nX-Leading:   \tvalue\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: x\r\nX-Inner: a \t b\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost : x\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: x\r\n Folded: y\r\n\r\n",
        "GET /a HTTP/1.1\nHost: x\n\n",
        "GET /a HTTP/1.1\r\nHost: x\nAccept: */*\r\n\r\n",
        "GET  /a HTTP/1.1\r\nHost: x\r\n\r\n",
        "get /a HTTP/1.1\r\nHost: x\r\n\r\n",
        "PURGE /a HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /a HTTP/1.0\r\nHost: x\r\n\r\n",
        "GET /a HTTP/2.0\r\nHost: x\r\n\r\n",
        "GET /a?b=\"c\" HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /a#frag HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /%7Euser/a-b_c.d~e!$&'()*+,;=:@/?x=[1]&y=%20 HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /caf\u{e9} HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: x\r\nX-Latin: caf\u{e9}\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: x\r\nX-Control: a\u{1}b\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: x\r\nX-Del: a\u{7F}b\r\n\r\n",
        "GET /a HTTP/1.1\r\nBad[Name]: 1\r\n\r\n",
        "GET /a HTTP/1.1\r\n: novalue\r\n\r\n",
        "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
        "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\ncontent-length: 4\r\n\r\nabcd",
        "POST /a HTTP/1.1\r\nHost: x\r\nCONTENT-LENGTH: 3\r\n\r\nabc",
        "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc",
        "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 003\r\n\r\nabc",
        "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
        "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        "POST /a HTTP/1.1\r\nHost: x\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
        "POST /a HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: x\r\nConnection: Keep-Alive\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: x\r\nconnection: keep-alive\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost:x\r\nAccept:*/*\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: x\r\nX-Long: " + String(repeating: "v", count: 20_000) + "\r\n\r\n",
        "GET /a HTTP/1.1\r\n" + (0..<80).map { "X-Field-\($0): \($0)\r\n" }.joined() + "\r\n",
        "GET /a HTTP/1.1\r\nHost: x\r\n\rX\r\n\r\n",
        "\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\n",
    ]

    static let plain = "POST /v2/models/iris/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"

    @Test(arguments: edgeRequests.indices)
    func headsAtTheEdgeOfPlainAreReadAsNIOReadsThem(_ index: Int) throws {
        let request = Self.edgeRequests[index]
        for stream in [request, Self.plain + request, request + Self.plain, Self.plain + request + Self.plain] {
            let bytes = Array(stream.utf8)
            var splits: [[Int]] = [[], Array(1..<max(bytes.count, 1))]
            if bytes.count <= 400 { splits += (1..<bytes.count).map { [$0] } }
            for cuts in splits {
                let chunks = zip([0] + cuts, cuts + [bytes.count]).map { Array(bytes[$0..<$1]) }
                let ours = try HTTP1Reading.read(chunks, side: .vigil)
                let theirs = try HTTP1Reading.read(chunks, side: .nio)
                #expect(ours == theirs, "\(stream.prefix(120).debugDescription) in \(chunks.count) chunks")
                guard ours == theirs else { return }
            }
        }
        // Cut short: the same parts, and the same error at the end of input.
        let cuts = request.utf8.count <= 400 ? Array(1..<request.utf8.count) : [1, request.utf8.count / 2, request.utf8.count - 1]
        for cut in cuts {
            let chunks = [Array(Array(request.utf8)[..<cut])]
            let ours = try HTTP1Reading.read(chunks, side: .vigil), theirs = try HTTP1Reading.read(chunks, side: .nio)
            #expect(ours == theirs, "\(request.prefix(60).debugDescription) cut at \(cut)")
        }
    }

    /// A head repeated byte for byte on one connection is taken from its last reading, and one that
    /// differs anywhere (a length's digits, the path, a name's case, a head cut at any byte) is read
    /// anew: whole, at every split in two, and a byte at a time, the parts are NIO's.
    @Test func repeatedHeadsAreReadAsTheirFirstReadingAndChangedOnesAnew() throws {
        let head = "POST /v2/models/iris/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
            + "Inference-Header-Content-Length: 2\r\nContent-Length: "
        let repeated = head + "3\r\n\r\n{}a"
        let stream = repeated + repeated + head + "4\r\n\r\n{}ab" + repeated
            + repeated.replacing("iris", with: "irix") + repeated.replacing("Host", with: "host") + repeated
        let bytes = Array(stream.utf8)
        let whole = try HTTP1Reading.read([bytes], side: .vigil)
        #expect(whole == (try HTTP1Reading.read([bytes], side: .nio)))
        let heads = whole.parts.filter { $0.hasPrefix("head ") }
        #expect(heads.count == 7 && heads[1] == heads[0] && heads[3] == heads[0] && heads[6] == heads[0] && heads[4] != heads[0])
        #expect(whole.parts.contains("body {}ab") && whole.parts.filter { $0 == "body {}a" }.count == 6)
        for cuts in (1..<bytes.count).map({ [$0] }) + [Array(1..<bytes.count)] {
            let chunks = zip([0] + cuts, cuts + [bytes.count]).map { Array(bytes[$0..<$1]) }
            let ours = try HTTP1Reading.read(chunks, side: .vigil)
            #expect(ours == whole, "\(chunks.count) chunks")
            guard ours == whole else { return }
        }
    }

    /// The bit masks of the head parser are RFC 9110's `tchar` and RFC 3986's characters less `#`.
    @Test func tokenAndTargetBytesAreTheRFCsSets() {
        let alphanumerics = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
        let token = alphanumerics.union("!#$%&'*+-.^_`|~".utf8)
        let target = alphanumerics.union("-._~:/?[]@!$&'()*+,;=%".utf8)
        for byte in UInt8.min...UInt8.max {
            #expect(HTTP1RequestHeadParser.isTokenByte(byte) == token.contains(byte), "\(byte)")
            #expect(HTTP1RequestHeadParser.isTargetByte(byte) == target.contains(byte), "\(byte)")
        }
    }

    /// Names and values are read eight bytes at a time, up to the first byte that is not a letter,
    /// digit or `-` (names), or not visible ASCII or a space (values). Every pair of bytes side by
    /// side, at every place, so that no borrow or carry from one byte moves the end found.
    @Test func wordsEndAtTheFirstByteOutsideTheirSet() {
        let nameBytes = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-".utf8)
        let valueBytes = Set(UInt8(0x20)...UInt8(0x7E))
        var wrong: [String] = []
        for place in 0..<7 {
            for first in UInt8.min...UInt8.max {
                for second in UInt8.min...UInt8.max {
                    var bytes = [UInt8](repeating: UInt8(ascii: "K"), count: 8)
                    bytes[place] = first
                    bytes[place + 1] = second
                    let word = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
                    let name = bytes.firstIndex { !nameBytes.contains($0) } ?? 8, value = bytes.firstIndex { !valueBytes.contains($0) } ?? 8
                    if WordBytes.leadingLettersDigitsOrDash(word) != name || HTTP1RequestHeadParser.leadingVisibleOrSpace(word) != value {
                        wrong.append("\(first), \(second) at \(place)")
                    }
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(10))")
    }

    @Test func plainRequestsAreReadByTheCodecAndTheFirstOtherHandsTheConnectionOver() throws {
        let channel = try Self.channel(.vigil)
        let codec = try channel.pipeline.syncOperations.handler(type: HTTP1ServerCodec.self)
        try channel.writeInbound(ByteBuffer(string: Self.plain + Self.plain))
        #expect(codec.readsRequestsItself)
        try channel.writeInbound(ByteBuffer(string: "GET /a HTTP/1.1\r\nHost: x\r\nX-Trailing: v \r\n\r\n" + Self.plain))
        #expect(!codec.readsRequestsItself)
        var heads = 0
        while let part = try channel.readInbound(as: HTTPRequestPart.self) { if case .head = part { heads += 1 } }
        #expect(heads == 4)
        _ = try? channel.finish()
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
        // Another spelling, or another name of a table name's length, is not in the table.
        for name in ["CONTENT-TYPE", "Acceps", "Content-Typf", "X-Forwarded-Fox", "Content-Encodinh", "X-Forwarded-Host",
                     "Inference-Header-Content-Lengtx", "X-Request-Id"] {
            #expect(HTTPField.Name(sent: name) == nil, "\(name)")
        }
    }

    /// Responses go out byte for byte as swift-nio-extras' codec and NIO's encoder write them, every
    /// write's promise completing the same way: statuses NIO knows and does not, fields that frame
    /// the body or not, bodies in parts, trailers, and requests that are `HEAD`, `CONNECT` or absent.
    @Test func answersAreWrittenAsNIOsEncoderWritesThem() throws {
        let requests = ["GET / HTTP/1.1\r\nHost: x\r\n\r\n", "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n",
                        "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", ""]
        let statuses: [HTTPResponse.Status] = [100, 101, 102, 103, 200, 201, 204, 206, 299, 304, 400, 404, 413, 418, 422, 425, 451,
                                               499, 500, 503, 599, .init(code: 200, reasonPhrase: "Fine"), .init(code: 299, reasonPhrase: "Odd")]
        let fieldSets: [HTTPFields] = [
            [.contentType: "application/json", .contentLength: "2"],
            [.contentType: "text/plain"],
            [.transferEncoding: "gzip", .contentLength: "5", .inferenceHeaderContentLength: "237"],
            HTTPFields([HTTPField(name: .init("transfer-encoding")!, value: "chunked"), HTTPField(name: .init("X-Custom")!, value: "a b")]),
            HTTPFields([HTTPField(name: .init("content-length")!, value: "0"), HTTPField(name: .setCookie, value: "a=1"),
                        HTTPField(name: .setCookie, value: "b=2"), HTTPField(name: .init("X-Latin")!, value: "caf\u{e9}")]),
            [:],
        ]
        let bodies: [[String]] = [[], ["ab"], ["", "abc", "de"]]
        let trailers: [HTTPFields?] = [nil, [HTTPField.Name("X-Trailer")!: "1"]]
        var compared = 0
        for request in requests {
            for status in statuses {
                for fields in fieldSets {
                    for body in bodies {
                        for trailer in trailers {
                            let parts = [HTTPResponsePart.head(HTTPResponse(status: status, headerFields: fields))]
                                + body.map { .body(ByteBuffer(string: $0)) } + [.end(trailer)]
                            let ours = try Self.answer(parts, to: request, side: .vigil)
                            let theirs = try Self.answer(parts, to: request, side: .nio)
                            #expect(ours == theirs, "\(request.prefix(8)) \(status) \(fields) \(body) \(String(describing: trailer))")
                            guard ours == theirs else { return }
                            compared += 1
                        }
                    }
                }
            }
        }
        #expect(compared == 4 * 23 * 6 * 3 * 2)
    }

    /// An informational response does not answer its request; pipelined requests are answered in turn.
    @Test func informationalAndPipelinedAnswersAreFramedForTheirRequests() throws {
        let ok = HTTPResponse(status: .ok, headerFields: [.contentLength: "2"])
        let chunked = HTTPResponse(status: .ok)
        let exchanges: [(String, [HTTPResponsePart])] = [
            ("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n", [.head(HTTPResponse(status: .continue)), .end(nil), .head(ok), .body(ByteBuffer(string: "ok")), .end(nil)]),
            ("GET /a HTTP/1.1\r\n\r\nHEAD /b HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\n",
             [.head(chunked), .body(ByteBuffer(string: "a")), .end(nil), .head(chunked), .body(ByteBuffer(string: "b")), .end(nil),
              .head(chunked), .body(ByteBuffer(string: "c")), .end(nil)]),
        ]
        for (requests, parts) in exchanges {
            let ours = try Self.answer(parts, to: requests, side: .vigil)
            #expect(ours == (try Self.answer(parts, to: requests, side: .nio)))
            #expect(!ours.bytes.isEmpty)
        }
    }

    /// A head that repeats the last one is written as its bytes, and one that differs in a value, a
    /// name's spelling, its status or the kind of request it answers is framed anew: the bytes and
    /// promises are those of NIO's encoder throughout a connection's pipelined answers.
    @Test func repeatedAnswerHeadsAreWrittenAsNIOWritesThem() throws {
        let fields: HTTPFields = [.contentLength: "2", .contentType: "application/json", .inferenceHeaderContentLength: "1"]
        var otherLength = fields
        otherLength[.contentLength] = "3"
        let lowercase = HTTPFields([HTTPField(name: .init("content-length")!, value: "2"), HTTPField(name: .contentType, value: "application/json"),
                                    HTTPField(name: .inferenceHeaderContentLength, value: "1")])
        let answers: [(HTTPResponse, String)] = [
            (HTTPResponse(status: .ok, headerFields: fields), "ab"), (HTTPResponse(status: .ok, headerFields: fields), "cd"),
            (HTTPResponse(status: .ok, headerFields: fields), "ef"), (HTTPResponse(status: .ok, headerFields: otherLength), "ghi"),
            (HTTPResponse(status: .ok, headerFields: lowercase), "jk"), (HTTPResponse(status: .created, headerFields: fields), "lm"),
            (HTTPResponse(status: .init(code: 201, reasonPhrase: "Made"), headerFields: fields), "no"),
            (HTTPResponse(status: .init(code: 299, reasonPhrase: "Odd"), headerFields: fields), "pq"),
            (HTTPResponse(status: .init(code: 299, reasonPhrase: "Strange"), headerFields: fields), "rs"),
            (HTTPResponse(status: .ok, headerFields: fields), "tu"), (HTTPResponse(status: .ok, headerFields: fields), "vw"),
            (HTTPResponse(status: .ok, headerFields: fields), "xy"),
        ]
        // The third request is `HEAD`: the same head, and no body after it. The tenth is `CONNECT`,
        // whose answer loses its `Content-Length`.
        let requests = (0..<answers.count).map { index in
            switch index {
            case 2: "HEAD /a HTTP/1.1\r\nHost: x\r\n\r\n"
            case 9: "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"
            default: "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
            }
        }.joined()
        let parts = answers.flatMap { answer, body in [HTTPResponsePart.head(answer), .body(ByteBuffer(string: body)), .end(nil)] }
        let ours = try Self.answer(parts, to: requests, side: .vigil)
        #expect(ours == (try Self.answer(parts, to: requests, side: .nio)))
        let text = String(decoding: ours.bytes, as: UTF8.self)
        #expect(text.ranges(of: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n").count == 5)
        #expect(text.contains("content-length: 2\r\n") && text.ranges(of: "HTTP/1.1 201 Created\r\n").count == 2 && !text.contains("ef"))
        #expect(text.contains("HTTP/1.1 299 Odd\r\n") && text.contains("HTTP/1.1 299 Strange\r\n"))
        #expect(text.contains("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"))
    }

    private static func rawNames(_ part: HTTPRequestPart) -> [String] {
        switch part {
        case .head(let head): head.headerFields.map(rawName)
        case .body: []
        case .end(let trailers): trailers?.map(rawName) ?? []
        }
    }

    private static func rawName(_ field: HTTPField) -> String { field.name.rawName }

    /// Vigil's HTTP/1 handlers, or what they stand in for: NIO's server pipeline as Vigil configured
    /// it, then swift-nio-extras' codec (`HTTP1Reading`, which the `http1` fuzz target uses too).
    typealias Side = HTTP1Reading.Side

    private static func channel(_ side: Side) throws -> EmbeddedChannel {
        try HTTP1Reading.channel(side)
    }

    /// Whether the codec reads `request` itself rather than handing the connection to NIO's decoder.
    private static func readsItself(_ request: String) throws -> Bool {
        let channel = try channel(.vigil)
        try channel.writeInbound(ByteBuffer(string: request))
        let codec = try channel.pipeline.syncOperations.handler(type: HTTP1ServerCodec.self)
        defer { _ = try? channel.finish() }
        return codec.readsRequestsItself
    }

    private static func parts(of request: String, side: Side) throws -> [HTTPRequestPart] {
        let channel = try channel(side)
        try channel.writeInbound(ByteBuffer(string: request))
        var parts: [HTTPRequestPart] = []
        while let part = try channel.readInbound(as: HTTPRequestPart.self) { parts.append(part) }
        _ = try? channel.finish()
        return parts
    }

    /// What goes out when `parts` answer `requests`: the bytes, and how each write's promise ended.
    struct Answer: Equatable {
        var bytes: [UInt8] = []
        var outcomes: [String] = []
    }

    /// Promise outcomes, appended on the embedded loop, which is the test's own thread.
    private final class Outcomes: @unchecked Sendable { var list: [String] = [] }

    private static func answer(_ parts: [HTTPResponsePart], to requests: String, side: Side) throws -> Answer {
        let channel = try channel(side)
        try channel.writeInbound(ByteBuffer(string: requests))
        while try channel.readInbound(as: HTTPRequestPart.self) != nil {}
        let outcomes = Outcomes()
        for part in parts {
            let promise = channel.eventLoop.makePromise(of: Void.self)
            promise.futureResult.whenComplete { outcomes.list.append("\($0)") }
            channel.pipeline.syncOperations.writeAndFlush(NIOAny(part), promise: promise)
            channel.embeddedEventLoop.run()
        }
        var answer = Answer(outcomes: outcomes.list)
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { answer.bytes += Array(buffer.readableBytesView) }
        _ = try? channel.finish()
        return answer
    }
}
