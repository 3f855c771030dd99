import FoundationEssentials
import Metrics
public import Prometheus
import Synchronization

/// The server's Prometheus registry, fed through swift-metrics with a factory of its own (no global bootstrap).
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    /// Recent requests per model, for the dashboard.
    let rates = RequestRates()

    /// The request-duration histogram's buckets, from 100 µs to 5 s.
    static let durationBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
    ]

    public init() {
        registry = PrometheusCollectorRegistry()
        // Counters and gauges only: request durations go to `LatencyHistogram`, not a swift-metrics timer.
        factory = PrometheusMetricsFactory(registry: registry)
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
        var duration: LatencyHistogram
        /// The model's request-rate ring, counted without a lock; nil for the empty label.
        var rate: RequestRates.Ring?
    }

    /// One latency histogram per route and model (the label set of `vigil_request_duration_seconds`).
    private struct RouteAndModel: Hashable, Comparable {
        var route: String
        var model: String

        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.route, lhs.model) < (rhs.route, rhs.model) }
    }

    /// Read by every request; written only the first time a label set is seen.
    private let handles = Mutex<[RequestKey: RequestHandles]>([:])
    /// The histograms, for the scrape; the handles hold the same ones.
    private let durations = Mutex<[RouteAndModel: LatencyHistogram]>([:])

    /// Counts one finished request and records its latency; predictions also count toward the model's rate.
    ///
    /// `model` is the name the request sent. It becomes a label only if `isKnownModel` says the
    /// repository knows it (else the label is empty), so unknown names cannot grow the metric set.
    /// A name seen before is not asked about again: its handles are cached under it. The counters
    /// and the histogram are atomics, so a label set seen before holds the lock only for its look-up.
    func recordRequest(
        route: String, model: String, status: Int, duration: Duration, isPrediction: Bool = false,
        isKnownModel: (String) -> Bool = { _ in true }
    ) {
        let sent = RequestKey(route: route, model: model, status: status)
        let metrics = handles.withLock { $0[sent] } ?? makeHandles(sent, isKnownModel: isKnownModel)
        metrics.requests.increment()
        metrics.errors?.increment()
        metrics.duration.record(duration)
        if isPrediction { metrics.rate?.add(minute: Int64(Date().timeIntervalSince1970 / 60), failed: status >= 400) }
    }

    /// The handles of a label set seen for the first time, made and cached under the name sent.
    private func makeHandles(_ sent: RequestKey, isKnownModel: (String) -> Bool) -> RequestHandles {
        let label = sent.model.isEmpty || isKnownModel(sent.model) ? sent.model : ""
        return handles.withLock { handles in
            let key = RequestKey(route: sent.route, model: label, status: sent.status)
            if let existing = handles[key] {
                handles[sent] = existing
                return existing
            }
            let dimensions = [("route", sent.route), ("model", label)]
            let duration = durations.withLock { durations in
                let key = RouteAndModel(route: sent.route, model: label)
                if let existing = durations[key] { return existing }
                let made = LatencyHistogram(bounds: Self.durationBuckets)
                durations[key] = made
                return made
            }
            let made = RequestHandles(
                requests: Counter(
                    label: "vigil_requests_total", dimensions: dimensions + [("status", String(sent.status))], factory: factory),
                errors: sent.status >= 400 ? Counter(label: "vigil_request_errors_total", dimensions: dimensions, factory: factory) : nil,
                duration: duration,
                rate: label.isEmpty ? nil : rates.ring(for: label))
            handles[key] = made
            handles[sent] = made
            return made
        }
    }

    /// The Prometheus text exposition of every metric.
    func exposition() -> [UInt8] {
        var out = registry.emitToBuffer()
        out += durationFamily().utf8
        return out
    }

    /// `vigil_request_duration_seconds`: every route and model's histogram, with its help and type.
    private func durationFamily() -> String {
        let histograms = durations.withLock { $0 }.sorted { $0.key < $1.key }
        guard !histograms.isEmpty else { return "" }
        let name = "vigil_request_duration_seconds"
        var text = "# HELP \(name) \(MetricHelp.help(for: name))\n# TYPE \(name) histogram\n"
        for (key, histogram) in histograms {
            let labels = "route=\"\(MetricFamilyText.escape(key.route))\",model=\"\(MetricFamilyText.escape(key.model))\""
            histogram.write(name: name, labels: labels, to: &text)
        }
        return text
    }
}
