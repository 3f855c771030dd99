import Metrics
public import Prometheus

/// The server's Prometheus registry, fed through swift-metrics with a factory of its own (no global bootstrap).
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
        ]
        self.factory = factory
    }

    /// Counts one finished request and records its latency.
    func recordRequest(route: String, model: String, status: Int, duration: Duration) {
        let dimensions = [("route", route), ("model", model)]
        Counter(label: "vigil_requests_total", dimensions: dimensions + [("status", String(status))], factory: factory).increment()
        if status >= 400 {
            Counter(label: "vigil_request_errors_total", dimensions: dimensions, factory: factory).increment()
        }
        Metrics.Timer(label: "vigil_request_duration_seconds", dimensions: dimensions, factory: factory).recordInterval(duration)
    }

    /// The Prometheus text exposition of every metric.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}

extension Metrics.Timer {
    func recordInterval(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
