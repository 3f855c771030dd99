import HTTPTypes
import NIOHTTP1

/// Reads the head of an HTTP/1.1 request of the plain shape clients send, straight into a
/// swift-http-types `HTTPRequest`, and leaves every other request to NIO's parser.
///
/// A plain request is a subset of what NIO's parser (llhttp, strict) accepts, chosen so that the two
/// read it the same: `GET`, `HEAD`, `POST`, `PUT`, `DELETE`, `OPTIONS` or `PATCH`; a target of
/// RFC 3986 characters that starts with `/`; `HTTP/1.1`; lines ending in CRLF; field names that are
/// tokens followed at once by the colon; values of visible ASCII, spaces and tabs, neither empty nor
/// ending in whitespace (so that no trimming rule matters); at most one `Content-Length`, of digits
/// only; and no `Transfer-Encoding`, no `Upgrade`, and no `Connection` but `keep-alive`. Heads longer
/// than `maximumLength`, with more than `maximumFieldCount` fields, or past NIO's configured limits,
/// are left to NIO too. Anything else is
/// `.notPlain`, and `HTTP1ServerCodec` hands the connection to NIO's parser from that request on.
///
/// The fields are those `HTTPRequest(serverHead:)` makes of NIO's head: the first `Host` is the
/// authority, and names clients commonly send come from the table of sent names.
enum HTTP1RequestHeadParser {
    /// What the bytes at the front of the connection's input hold.
    enum Outcome {
        /// A whole plain head of `length` bytes, and the length of the body after it.
        case head(HTTPRequest, length: Int, bodyLength: Int)
        /// The start of a plain head, not yet whole.
        case incomplete
        /// Not a plain request: NIO's parser must read it.
        case notPlain
    }

    /// The longest head read here; a longer one is left to NIO's parser (and its limits).
    static let maximumLength = 16 * 1024
    /// The most fields a head read here has; one with more is left to NIO's parser. With the length,
    /// this bounds the work of a head that arrives a line at a time and is read again at each line:
    /// NIO's parser reads each byte once.
    static let maximumFieldCount = 64

    static func parse(_ bytes: UnsafeRawBufferPointer, limits: NIOHTTPDecoderLimitConfiguration) -> Outcome {
        var reader = ByteReader(bytes: bytes)
        guard let method = reader.method() else { return reader.ranOut ? .incomplete : .notPlain }
        guard let path = reader.target() else { return reader.ranOut ? .incomplete : .notPlain }
        guard reader.version() else { return reader.ranOut ? .incomplete : .notPlain }
        var fields = HTTPFields()
        fields.reserveCapacity(8)
        var authority: String?
        var bodyLength: Int?
        var listSize = 0
        var count = 0
        while true {
            guard reader.position < reader.bytes.count else { return .incomplete }
            if reader.lineEnd() { break }
            guard !reader.ranOut else { return .incomplete }
            guard let (name, value) = reader.field() else { return reader.ranOut ? .incomplete : .notPlain }
            count += 1
            let size = name.count + value.count + 4
            listSize += size
            guard count <= maximumFieldCount, count < limits.maxHeaderFieldCount, size <= limits.maxHeaderFieldSize,
                  listSize <= limits.maxHeaderListSize else { return .notPlain }
            if let known = HTTPField.Name.sent(name) {
                // By the name's length first: comparing a long name such as
                // `inference-header-content-length` with another costs a call into string comparison.
                if known.hasCanonicalName("content-length") {
                    guard bodyLength == nil, let length = Self.contentLength(value) else { return .notPlain }
                    bodyLength = length
                } else if known.hasCanonicalName("connection") {
                    guard value.isBytewiseIgnoringASCIICase("keep-alive") else { return .notPlain }
                }
                fields.append(HTTPField(name: known, value: String(decoding: value, as: UTF8.self)))
                continue
            }
            if authority == nil, name.isBytewiseIgnoringASCIICase("host") {
                authority = String(decoding: value, as: UTF8.self)
                continue
            }
            guard !Self.isLeftToNIO(name), let parsed = HTTPField.Name(String(decoding: name, as: UTF8.self)) else { return .notPlain }
            fields.append(HTTPField(name: parsed, value: String(decoding: value, as: UTF8.self)))
        }
        guard reader.position <= maximumLength else { return .notPlain }
        let request = HTTPRequest(method: method, scheme: "http", authority: authority, path: path, headerFields: fields)
        return .head(request, length: reader.position, bodyLength: bodyLength ?? 0)
    }

    /// Fields that change how NIO's parser frames or hands over the connection, in any spelling.
    private static func isLeftToNIO(_ name: UnsafeRawBufferPointer) -> Bool {
        name.isBytewiseIgnoringASCIICase("transfer-encoding") || name.isBytewiseIgnoringASCIICase("upgrade")
            || name.isBytewiseIgnoringASCIICase("content-length") || name.isBytewiseIgnoringASCIICase("connection")
    }

    /// RFC 9110's `tchar`: letters, digits and ``!#$%&'*+-.^_`|~``, as bits of two masks.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        byte < 64 ? (0x03FF_6CFA_0000_0000 as UInt64) >> byte & 1 == 1 : byte < 128 && (0x57FF_FFFF_C7FF_FFFE as UInt64) >> (byte - 64) & 1 == 1
    }

    /// RFC 3986's unreserved and reserved characters and `%`, less `#` (a fragment is not sent), as
    /// bits of two masks.
    static func isTargetByte(_ byte: UInt8) -> Bool {
        byte < 64 ? (0xAFFF_FFF2_0000_0000 as UInt64) >> byte & 1 == 1 : byte < 128 && (0x47FF_FFFE_AFFF_FFFF as UInt64) >> (byte - 64) & 1 == 1
    }

    /// How many bytes of `word`, from the first, are visible ASCII or spaces (0x20 to 0x7E): 8 when all
    /// are. The lowest byte each word test finds is exact, so the lowest either finds is too.
    static func leadingVisibleOrSpace(_ word: UInt64) -> Int {
        (WordBytes.control(word) | WordBytes.deleteOrHigh(word)).trailingZeroBitCount / 8
    }

    /// A `Content-Length` of digits only, short enough not to overflow.
    private static func contentLength(_ value: UnsafeRawBufferPointer) -> Int? {
        guard (1...15).contains(value.count) else { return nil }
        var length = 0
        for byte in value {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            length = length * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return length
    }
}

/// A cursor over a request head's bytes. `ranOut` is set when a read stopped at the end of the
/// bytes rather than at a byte it refuses.
private struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var position = 0
    var ranOut = false

    /// The method and its space.
    mutating func method() -> HTTPRequest.Method? {
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: " ") {
                let name = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
                position += 1
                switch name.count {
                case 3: return name.isBytewise("GET") ? .get : name.isBytewise("PUT") ? .put : nil
                case 4: return name.isBytewise("POST") ? .post : name.isBytewise("HEAD") ? .head : nil
                case 5: return name.isBytewise("PATCH") ? .patch : nil
                case 6: return name.isBytewise("DELETE") ? .delete : nil
                case 7: return name.isBytewise("OPTIONS") ? .options : nil
                default: return nil
                }
            }
            guard (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte), position - start < 7 else { return nil }
            position += 1
        }
        ranOut = true
        return nil
    }

    /// Where the run of token bytes from `start` ends: eight bytes at a time over letters, digits and
    /// `-` (the bytes of the names clients send), then byte by byte.
    private func tokenEnd(from start: Int) -> Int {
        runEnd(from: start, leading: WordBytes.leadingLettersDigitsOrDash, continues: HTTP1RequestHeadParser.isTokenByte)
    }

    /// Where the run of visible ASCII, spaces and tabs from `start` ends: eight bytes at a time over
    /// visible ASCII and spaces, then byte by byte.
    private func valueEnd(from start: Int) -> Int {
        runEnd(from: start, leading: HTTP1RequestHeadParser.leadingVisibleOrSpace) { $0 &- 0x20 < 0x5F || $0 == UInt8(ascii: "\t") }
    }

    /// Where a run from `start` ends: a word at a time while `leading` counts all eight of its bytes
    /// (exactly, to the first byte outside the word test's set), then byte by byte from there while
    /// `continues` holds (it takes what the word test leaves out). An index of its own rather than
    /// `position`, so that the loops keep it in a register.
    @inline(__always)
    private func runEnd(from start: Int, leading: (UInt64) -> Int, continues: (UInt8) -> Bool) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            while bytes.count - index >= 8 {
                let count = leading(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
                index += count
                guard count == 8 else { break }
            }
        }
        while index < bytes.count, continues(bytes[index]) { index += 1 }
        return index
    }

    /// An origin-form target of RFC 3986 characters, and its space.
    mutating func target() -> String? {
        let start = position
        var end = start
        while end < bytes.count, HTTP1RequestHeadParser.isTargetByte(bytes[end]) { end += 1 }
        position = end
        guard position < bytes.count else {
            ranOut = true
            return nil
        }
        guard bytes[position] == UInt8(ascii: " "), position > start, bytes[start] == UInt8(ascii: "/") else { return nil }
        position += 1
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position - 1]), as: UTF8.self)
    }

    /// `HTTP/1.1` and its line end.
    mutating func version() -> Bool {
        let version: StaticString = "HTTP/1.1\r\n"
        let available = min(bytes.count - position, version.utf8CodeUnitCount)
        guard UnsafeRawBufferPointer(rebasing: bytes[position..<position + available])
            .elementsEqual(UnsafeRawBufferPointer(start: version.utf8Start, count: available)) else { return false }
        guard available == version.utf8CodeUnitCount else {
            ranOut = true
            return false
        }
        position += available
        return true
    }

    /// Consumes the empty line that ends the head, if it comes next.
    mutating func lineEnd() -> Bool {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\r") else { return false }
        guard position + 1 < bytes.count else {
            ranOut = true
            return false
        }
        guard bytes[position + 1] == UInt8(ascii: "\n") else { return false }
        position += 2
        return true
    }

    /// A field line, `name: value` and its line end, as the name's and the value's bytes.
    mutating func field() -> (UnsafeRawBufferPointer, UnsafeRawBufferPointer)? {
        let nameStart = position
        position = tokenEnd(from: position)
        let nameEnd = position
        guard position < bytes.count else {
            ranOut = true
            return nil
        }
        guard bytes[position] == UInt8(ascii: ":"), nameEnd > nameStart else { return nil }
        position += 1
        while position < bytes.count, bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t") { position += 1 }
        let valueStart = position
        position = valueEnd(from: position)
        let valueEnd = position
        guard position < bytes.count else {
            ranOut = true
            return nil
        }
        guard bytes[position] == UInt8(ascii: "\r") else { return nil }
        guard position + 1 < bytes.count else {
            ranOut = true
            return nil
        }
        guard bytes[position + 1] == UInt8(ascii: "\n"), valueEnd > valueStart,
              bytes[valueEnd - 1] != UInt8(ascii: " "), bytes[valueEnd - 1] != UInt8(ascii: "\t") else { return nil }
        position += 2
        return (UnsafeRawBufferPointer(rebasing: bytes[nameStart..<nameEnd]), UnsafeRawBufferPointer(rebasing: bytes[valueStart..<valueEnd]))
    }
}
