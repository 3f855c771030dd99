public import Hummingbird
public import NIOCore

/// The request context of every Vigil route: Hummingbird's basics plus the peer's address, which
/// decides whether forwarded headers are believed (`--trusted-proxy`).
public struct VigilRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The address of the connection's peer: the client, or the proxy in front of Vigil.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
