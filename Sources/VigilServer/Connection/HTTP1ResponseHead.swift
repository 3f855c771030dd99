import HTTPTypes
import NIOCore
import NIOHTTP1

/// A response head as HTTP/1.1 bytes, framed as NIO's `HTTPResponseEncoder` (default configuration)
/// frames the head that swift-nio-extras converts an `HTTPResponse` to:
/// - a response that cannot have a body (1xx, 204, 304, or one answering `CONNECT`) loses its
///   `Content-Length` and `Transfer-Encoding` fields;
/// - one with `Content-Length` loses `Transfer-Encoding`;
/// - any other is chunked: its `Transfer-Encoding` fields give way to `transfer-encoding: chunked`,
///   written last.
///
/// The status line is NIO's: its reason phrase for a status it knows, else the response's own.
struct HTTP1ResponseHead {
    /// What the request a response answers asks of it.
    enum Request {
        case other
        /// `HEAD`: the head says what a `GET` would get, and no body follows.
        case head
        /// `CONNECT`: no body, and no body framing either.
        case connect

        init(_ method: HTTPMethod) {
            switch method {
            case .HEAD: self = .head
            case .CONNECT: self = .connect
            default: self = .other
            }
        }

        init(_ method: HTTPRequest.Method) {
            switch method {
            case .head: self = .head
            case .connect: self = .connect
            default: self = .other
            }
        }
    }

    private let fields: HTTPFields
    private let statusLine: String
    /// Whether `Content-Length` fields are left out.
    private let dropsContentLength: Bool
    /// Whether the body goes out in chunks, after `transfer-encoding: chunked`.
    let isChunked: Bool
    /// How many bytes `write(into:)` writes.
    let byteCount: Int

    private static let ok = "HTTP/1.1 200 OK\r\n"
    private static let chunkedField = "transfer-encoding: chunked\r\n"

    /// The head of a response with `fields` and `status` (`HTTPResponse.status`, which is read from
    /// its text each time it is asked for), answering `request`.
    init(_ fields: HTTPFields, status: HTTPResponse.Status, answering request: Request) {
        self.fields = fields
        let code = status.code
        let mayHaveBody: Bool
        if code == 200 {
            statusLine = Self.ok
            mayHaveBody = true
        } else {
            let nioStatus = HTTPResponseStatus(statusCode: code, reasonPhrase: status.reasonPhrase)
            statusLine = "HTTP/1.1 \(nioStatus.code) \(nioStatus.reasonPhrase)\r\n"
            mayHaveBody = nioStatus.mayHaveResponseBody
        }
        let hasBody = mayHaveBody && request != .connect
        dropsContentLength = !hasBody
        // One pass over the fields: whether one is `Content-Length`, and the bytes of those written.
        var count = statusLine.utf8.count + 2
        var hasContentLength = false
        for field in fields {
            if Self.isContentLength(field.name) { hasContentLength = true }
            if !Self.drops(field.name, contentLength: dropsContentLength) { count += Self.byteCount(of: field) }
        }
        isChunked = hasBody && !hasContentLength
        byteCount = count + (isChunked ? Self.chunkedField.utf8.count : 0)
    }

    /// Writes the status line, the fields and the blank line that ends the head.
    func write(into buffer: inout ByteBuffer) {
        let written = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: byteCount) { out in
            var offset = 0
            Self.copy(statusLine, to: out, at: &offset)
            for field in fields where !Self.drops(field.name, contentLength: dropsContentLength) {
                Self.copy(field, to: out, at: &offset)
            }
            if isChunked { Self.copy(Self.chunkedField, to: out, at: &offset) }
            Self.copyLineEnd(to: out, at: &offset)
            return offset
        }
        precondition(written == byteCount, "the head's length was counted wrong")
    }

    /// Writes `fields` as `name: value` lines and the blank line after them: a chunked body's trailers.
    static func writeFields(_ fields: HTTPFields, into buffer: inout ByteBuffer) {
        let count = fields.reduce(2) { $0 + byteCount(of: $1) }
        let written = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { out in
            var offset = 0
            for field in fields { copy(field, to: out, at: &offset) }
            copyLineEnd(to: out, at: &offset)
            return offset
        }
        precondition(written == count, "the trailers' length was counted wrong")
    }

    /// Whether a field named `name` is left out: `Transfer-Encoding` always (the encoder writes its
    /// own when it chunks), `Content-Length` when `contentLength`.
    private static func drops(_ name: HTTPField.Name, contentLength: Bool) -> Bool {
        isTransferEncoding(name) || (contentLength && isContentLength(name))
    }

    // The canonical name is the raw name lowercased, so these match as NIO's case-insensitive
    // searches do.
    private static func isContentLength(_ name: HTTPField.Name) -> Bool { name.hasCanonicalName("content-length") }

    private static func isTransferEncoding(_ name: HTTPField.Name) -> Bool { name.hasCanonicalName("transfer-encoding") }

    /// The bytes of `field`'s line, `name: value` and its line break, as `copy` writes it.
    private static func byteCount(of field: HTTPField) -> Int {
        field.name.rawName.utf8.count + 2 + field.value.utf8.count + 2
    }

    private static func copy(_ field: HTTPField, to out: UnsafeMutableRawBufferPointer, at offset: inout Int) {
        copy(field.name.rawName, to: out, at: &offset)
        out.storeBytes(of: UInt16(littleEndian: 0x203A), toByteOffset: offset, as: UInt16.self)  // ": "
        offset += 2
        copy(field.value, to: out, at: &offset)
        copyLineEnd(to: out, at: &offset)
    }

    /// CRLF, stored as two bytes rather than copied out of a string (a call and a closure each).
    private static func copyLineEnd(to out: UnsafeMutableRawBufferPointer, at offset: inout Int) {
        out.storeBytes(of: UInt16(littleEndian: 0x0A0D), toByteOffset: offset, as: UInt16.self)
        offset += 2
    }

    private static func copy(_ text: String, to out: UnsafeMutableRawBufferPointer, at offset: inout Int) {
        var text = text
        text.withUTF8 { bytes in
            UnsafeMutableRawBufferPointer(rebasing: out[offset..<(offset + bytes.count)]).copyMemory(from: UnsafeRawBufferPointer(bytes))
            offset += bytes.count
        }
    }
}
