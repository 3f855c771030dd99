import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request body has not fully arrived within `limit` of its head.
///
/// Hummingbird's idle timeout counts silence, so a client that trickles a byte a second (slow
/// loris) never trips it and holds the connection, and the handler waiting on the body, for ever.
/// This deadline counts from the request head to the end of its body, whatever arrives in between.
///
/// Most requests arrive whole in one read, so the timer is only set when a read ends with a body
/// still to come: a timer per request cost about 2% of the server's CPU under load.
final class RequestBodyDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    let limit: TimeAmount
    /// When the head of a request whose end has not arrived came in.
    private var headArrived: NIODeadline?
    private var deadline: Scheduled<Void>?

    init(limit: TimeAmount) {
        self.limit = limit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            deadline?.cancel()
            deadline = nil
            headArrived = .now()
        case .body:
            break
        case .end:
            headArrived = nil
            deadline?.cancel()
            deadline = nil
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if let headArrived, deadline == nil {
            let channel = context.channel
            deadline = context.eventLoop.scheduleTask(deadline: headArrived + limit) { channel.close(promise: nil) }
        }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        headArrived = nil
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }
}
