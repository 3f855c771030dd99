import Hummingbird
import Logging

/// Logs one line per request (`--access-log`): method, path, status, time and the client's address,
/// taken from `X-Forwarded-For` only when the peer is a trusted proxy.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext
    let trustedProxies: TrustedProxies

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let client = trustedProxies.clientAddress(peer: context.remoteAddress, forwardedFor: request.headers[.xForwardedFor])
        do {
            let response = try await next(request, context)
            log(request, status: Int(response.status.code), client: client, since: start, logger: context.logger)
            return response
        } catch {
            let status = (error as? any HTTPResponseError).map { Int($0.status.code) } ?? 500
            log(request, status: status, client: client, since: start, logger: context.logger)
            throw error
        }
    }

    private func log(_ request: Request, status: Int, client: String, since start: ContinuousClock.Instant, logger: Logger) {
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        logger.info(
            "\(request.method) \(request.uri.path) \(status)",
            metadata: [
                "client": "\(client)",
                "ms": "\((milliseconds * 1000).rounded() / 1000)",
            ])
    }
}
