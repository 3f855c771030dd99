import FoundationEssentials
import Metrics
import Synchronization
public import Prometheus

/// The server's Prometheus registry, fed through swift-metrics with a factory of its own (no global bootstrap).
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    /// Recent requests per model, for the dashboard.
    let rates = RequestRates()

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

    /// The metric handles of one (route, model, status), made once: the request path then costs a
    /// dictionary lookup instead of three handle constructions and registry lookups.
    private struct RequestKey: Hashable {
        var route: String
        var model: String
        var status: Int
    }

    private struct RequestHandles {
        var requests: Metrics.Counter
        var errors: Metrics.Counter?
        var duration: Metrics.Timer
        /// The model's request-rate ring, counted without a lock; nil for the empty label.
        var rate: RequestRates.Ring?
    }

    private let handles = Mutex<[RequestKey: RequestHandles]>([:])

    /// Counts one finished request and records its latency; predictions also count toward the model's rate.
    ///
    /// `model` is the name the request sent. It becomes a label only if `isKnownModel` says the
    /// repository knows it (else the label is empty), so unknown names cannot grow the metric set.
    /// A name seen before is not asked about again: its handles are cached under it.
    func recordRequest(route: String, model: String, status: Int, duration: Duration, isPrediction: Bool = false,
                       isKnownModel: (String) -> Bool = { _ in true }) {
        let sent = RequestKey(route: route, model: model, status: status)
        let cached = handles.withLock { $0[sent] }
        let label = cached != nil || model.isEmpty || isKnownModel(model) ? model : ""
        let metrics = cached ?? handles.withLock { handles in
            let key = RequestKey(route: route, model: label, status: status)
            if let existing = handles[key] { return existing }
            let dimensions = [("route", route), ("model", label)]
            let made = RequestHandles(
                requests: Counter(label: "vigil_requests_total", dimensions: dimensions + [("status", String(status))], factory: factory),
                errors: status >= 400 ? Counter(label: "vigil_request_errors_total", dimensions: dimensions, factory: factory) : nil,
                duration: Metrics.Timer(label: "vigil_request_duration_seconds", dimensions: dimensions, factory: factory),
                rate: label.isEmpty ? nil : rates.ring(for: label))
            handles[key] = made
            return made
        }
        metrics.requests.increment()
        metrics.errors?.increment()
        metrics.duration.recordInterval(duration)
        if isPrediction { metrics.rate?.add(minute: Int64(Date().timeIntervalSince1970 / 60), failed: status >= 400) }
    }

    /// The Prometheus text exposition of every metric.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}

extension Metrics.Timer {
    func recordInterval(_ duration: Duration) {
        recordNanoseconds(duration.nanoseconds)
    }
}
