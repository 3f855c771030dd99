import NIOCore
import Synchronization

/// How many client connections are open, as their event loops see them: a connection counts from
/// the moment it is accepted until the client ends its input or the connection closes, whichever
/// comes first.
///
/// Counting on the event loop, rather than while a connection's handler runs, keeps the count right
/// when clients come and go quickly: a client that closes its connections and opens a new one is
/// seen to have closed them as soon as their end of input is read, not once their handlers, on
/// Swift's pool, have wound down.
final class OpenConnections: Sendable {
    private let count = Atomic<Int>(0)

    /// Whether exactly one connection is open.
    var lone: Bool { count.load(ordering: .relaxed) == 1 }

    fileprivate func enter() { count.add(1, ordering: .relaxed) }
    fileprivate func leave() { count.subtract(1, ordering: .relaxed) }

    /// Counts one connection in `OpenConnections`: in when added to its pipeline, out at the first of
    /// its end of input, its closing and its removal.
    final class Presence: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer

        private let open: OpenConnections
        private var counted = false
        private var read = false
        /// Completed when the client's first bytes arrive, or when the connection ends before any.
        let firstBytes: EventLoopPromise<Void>

        init(open: OpenConnections, eventLoop: any EventLoop) {
            self.open = open
            self.firstBytes = eventLoop.makePromise()
        }

        func handlerAdded(context: ChannelHandlerContext) {
            open.enter()
            counted = true
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            countOut()
            firstBytes.succeed()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if !read {
                read = true
                firstBytes.succeed()
            }
            context.fireChannelRead(data)
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if let event = event as? ChannelEvent, event == .inputClosed {
                countOut()
                firstBytes.succeed()
            }
            context.fireUserInboundEventTriggered(event)
        }

        func channelInactive(context: ChannelHandlerContext) {
            countOut()
            firstBytes.succeed()
            context.fireChannelInactive()
        }

        private func countOut() {
            guard counted else { return }
            counted = false
            open.leave()
        }
    }
}
