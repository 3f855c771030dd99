import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// The HTTP/1 server codec between the connection's bytes and Hummingbird: requests are read into
/// swift-http-types parts as NIO's request decoder and swift-nio-extras' `HTTP1ToHTTPServerCodec` read
/// them (`secure: false`, cookies not split), and responses are written to bytes as NIO's
/// `HTTPResponseEncoder` writes the heads that codec converts them to, without their per-request costs.
///
/// - Requests: a plain HTTP/1.1 head (`HTTP1RequestHeadParser` says which are) is read straight into an
///   `HTTPRequest`, and its `Content-Length` body passed on in slices. With NIO's decoder (llhttp and
///   its callbacks, a string for each name and value, the conversion of its head, and its parts boxed
///   twice), a one-row inference request took about 13,000 more instructions: 224,800 against
///   211,300 (`bench/serve/instructions.sh`). At the first request that is not plain, the codec hands the
///   connection over for good: NIO's decoder and `NIORequestConversion` go in after it, get the bytes
///   from that request on, and answer as they always have, errors included.
/// - Responses: the conversion to NIO's head copied every field into new `HTTPHeaders`, boxed the
///   head, and NIO's encoder searched the fields case-insensitively and wrote the head in four writes
///   a field, about 1,100 instructions each. Here the head is framed as that encoder frames it
///   (`HTTP1ResponseHead`) and written with one bounds check. Responses to `HEAD` and `CONNECT`
///   requests carry no body, as there.
///
/// `HTTP1ServerCodecTests` checks both directions against NIO's pipeline and swift-nio-extras' codec,
/// byte for byte and part for part.
final class HTTP1ServerCodec: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = IOData

    /// Where the reading of requests stands.
    private enum Reading {
        /// Between requests, or in a head: the bytes of a head not yet whole.
        case head(pending: ByteBuffer?)
        /// In a body, with this many bytes still to come.
        case body(left: Int)
        /// NIO's decoder, after this handler, reads every request from here on.
        case handedOver
        /// The connection's input has ended.
        case ended
    }

    private let limits: NIOHTTPDecoderLimitConfiguration
    private var reading = Reading.head(pending: nil)
    /// The requests still owed a final response, oldest first: whether each was `HEAD` or `CONNECT`.
    private var awaiting = CircularBuffer<HTTP1ResponseHead.Request>(initialCapacity: 4)
    /// Set from a response's head to its end when it answers a `HEAD` or `CONNECT` request.
    private var suppressesBody = false
    /// Whether the current response's body goes out in chunks.
    private var chunked = false
    /// The last plain head read (the request, and the length of its body), to take a byte-for-byte
    /// repeat of it without reading it again. A keep-alive client sends the same head again and
    /// again: the same path, the same fields and, for fixed-size bodies such as Triton's binary
    /// tensors, the same lengths. Reading a head depends on nothing but its bytes and the
    /// connection's limits, and its bytes end in the blank line that ends a head, so a repeat is
    /// exactly that head. Under callgrind this saved about 7,000 instructions per one-row JSON
    /// inference request (a head of three lines) and 9,500 per binary one (four lines).
    private let lastHead = LastReading<(request: HTTPRequest, bodyLength: Int)>(maximumLength: 2048)
    /// The last response head written, to write a repeat of it as the same bytes.
    private let lastAnswer = RepeatedResponseHead()

    init(limits: NIOHTTPDecoderLimitConfiguration) {
        self.limits = limits
    }

    /// Whether this codec still reads requests itself, rather than NIO's decoder: for tests.
    var readsRequestsItself: Bool {
        if case .handedOver = reading { return false }
        return true
    }

    /// A request head NIO's decoder read, once the connection is handed over.
    func noteRequest(_ request: HTTP1ResponseHead.Request) {
        awaiting.append(request)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch reading {
        case .handedOver:
            context.fireChannelRead(data)
        case .ended:
            break
        case .head, .body:
            var input = unwrapInboundIn(data)
            read(&input, context: context)
        }
    }

    /// Passes on the requests in `input`, and keeps the start of one not yet whole.
    private func read(_ input: inout ByteBuffer, context: ChannelHandlerContext) {
        while true {
            switch reading {
            case .handedOver, .ended:
                return
            case .body(let left):
                let count = min(left, input.readableBytes)
                if count > 0, let part = input.readSlice(length: count) { context.fireChannelRead(wrapInboundOut(.body(part))) }
                guard count == left else {
                    reading = .body(left: left - count)
                    return
                }
                reading = .head(pending: nil)
                context.fireChannelRead(wrapInboundOut(.end(nil)))
            case .head(let pending):
                if var pending {
                    let before = pending.readableBytes
                    pending.writeBuffer(&input)
                    input = pending
                    reading = .head(pending: nil)
                    // What a head is can change only at a line end: one that ran out before is read
                    // again once a line end arrives, not at every byte of a head sent slowly.
                    let newBytes = input.readableBytesView.dropFirst(before)
                    if !newBytes.contains(UInt8(ascii: "\n")), input.readableBytes <= HTTP1RequestHeadParser.maximumLength {
                        reading = .head(pending: input)
                        return
                    }
                }
                guard input.readableBytes > 0 else { return }
                if let repeated = input.withUnsafeReadableBytes({ lastHead.repeated(atStartOf: $0) }) {
                    accept(repeated.value.request, length: repeated.length, bodyLength: repeated.value.bodyLength, from: &input, context: context)
                    continue
                }
                switch input.withUnsafeReadableBytes({ HTTP1RequestHeadParser.parse($0, limits: limits) }) {
                case .incomplete where input.readableBytes <= HTTP1RequestHeadParser.maximumLength:
                    reading = .head(pending: input)
                    return
                case .incomplete, .notPlain:
                    handOver(input, context: context)
                    return
                case .head(let request, let length, let bodyLength):
                    input.withUnsafeReadableBytes { lastHead.keep((request, bodyLength), readFrom: UnsafeRawBufferPointer(rebasing: $0[..<length])) }
                    accept(request, length: length, bodyLength: bodyLength, from: &input, context: context)
                }
            }
        }
    }

    /// Passes on a plain head of `length` bytes at the front of `input`, and reads its body next.
    private func accept(_ request: HTTPRequest, length: Int, bodyLength: Int, from input: inout ByteBuffer, context: ChannelHandlerContext) {
        input.moveReaderIndex(forwardBy: length)
        awaiting.append(HTTP1ResponseHead.Request(request.method))
        reading = .body(left: bodyLength)
        context.fireChannelRead(wrapInboundOut(.head(request)))
    }

    /// Puts NIO's decoder and the conversion of its parts after this handler, and gives them `input`
    /// and every byte after it.
    private func handOver(_ input: ByteBuffer, context: ChannelHandlerContext) {
        reading = .handedOver
        do {
            let decoder = ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes, limitConfiguration: limits))
            try context.pipeline.syncOperations.addHandlers([decoder, NIORequestConversion(codec: self)], position: .after(self))
        } catch {
            context.fireErrorCaught(error)
            return
        }
        context.fireChannelRead(NIOAny(input))
    }

    func channelInactive(context: ChannelHandlerContext) {
        endOfInput(context: context)
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed = event as? ChannelEvent { endOfInput(context: context) }
        context.fireUserInboundEventTriggered(event)
    }

    /// As NIO's decoder does at the end of input: a request cut short is an error. The start of a head
    /// goes to NIO's decoder, which sees the end of input itself and refuses the bytes as it would
    /// have (a field it refuses may be cut short before this parser could tell).
    private func endOfInput(context: ChannelHandlerContext) {
        switch reading {
        case .head(pending: .some(let bytes)):
            handOver(bytes, context: context)
        case .body:
            reading = .ended
            context.fireErrorCaught(HTTPParserError.invalidEOFState)
        case .head(pending: nil):
            reading = .ended
        case .handedOver, .ended:
            break
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let response):
            // A non-final informational response (1xx but 101) is followed by another head for the
            // same request.
            let status = response.status
            var request = HTTP1ResponseHead.Request.other
            if !((100..<200).contains(status.code) && status.code != 101), let answered = awaiting.popFirst() {
                request = answered
                suppressesBody = answered != .other
            }
            if let repeated = lastAnswer.repeated(for: status, response.headerFields, answering: request) {
                chunked = repeated.isChunked && !suppressesBody
                context.write(wrapOutboundOut(.byteBuffer(repeated.bytes)), promise: promise)
                return
            }
            let head = HTTP1ResponseHead(response.headerFields, status: status, answering: request)
            chunked = head.isChunked && !suppressesBody
            var bytes = context.channel.allocator.buffer(capacity: head.byteCount)
            head.write(into: &bytes)
            lastAnswer.keep(bytes, isChunked: head.isChunked, status: status, fields: response.headerFields, answering: request)
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
