import Hummingbird

/// `GET /metrics` in the Prometheus text format.
struct MetricsController<Context: RequestContext> {
    let metrics: ServerMetrics

    func addRoutes(to router: RouterGroup<Context>) {
        router.get("metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition()))
            )
        }
    }
}
