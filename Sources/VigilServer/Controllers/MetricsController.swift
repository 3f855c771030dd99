import Hummingbird
import VigilMonitor
import VigilStore

/// `GET /metrics` in the Prometheus text format: the registry's metrics with help text, plus
/// figures read at scrape time (build, model readiness, the feature-log queue, the store, the process).
struct MetricsController<Context: RequestContext> {
    let metrics: ServerMetrics
    let repository: ModelRepository
    let featureLog: FeatureLog?
    let store: Store?

    func addRoutes(to router: RouterGroup<Context>) {
        router.get("metrics") { _, _ in
            var body = MetricHelp.annotate(metrics.exposition())
            body += scrapeTimeFamilies().text.utf8
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: body))
            )
        }
    }

    func scrapeTimeFamilies() -> MetricFamilyText {
        var text = MetricFamilyText()
        text.family("vigil_build_info", type: "gauge", samples: [([("version", VigilVersion.current)], 1)])
        var readiness: [(labels: [(String, String)], value: Double)] = []
        var reloadFailed: [(labels: [(String, String)], value: Double)] = []
        for (name, entry) in repository.snapshot.sorted(by: { $0.key < $1.key }) {
            for (version, state) in entry.versions.sorted(by: { $0.key < $1.key }) {
                let ready: Double = if case .ready = state { 1 } else { 0 }
                readiness.append(([("model", name), ("version", String(version))], ready))
                reloadFailed.append(([("model", name), ("version", String(version))], entry.reloadErrors[version] == nil ? 0 : 1))
            }
        }
        text.family("vigil_model_ready", type: "gauge", samples: readiness)
        text.family("vigil_model_reload_failed", type: "gauge", samples: reloadFailed)
        if let featureLog {
            let queue = featureLog.pendingByModel().sorted { $0.model < $1.model }
            text.family("vigil_feature_log_pending_rows", type: "gauge", samples: queue.map { ([("model", $0.model)], Double($0.rows)) })
            text.family(
                "vigil_feature_log_pending_windows", type: "gauge", samples: queue.map { ([("model", $0.model)], Double($0.windows)) })
        }
        if let store {
            text.family("vigil_store_up", type: "gauge", samples: [([("engine", store.engine.rawValue)], store.isReachable() ? 1 : 0)])
        }
        ProcessStatistics.current()?.write(to: &text)
        return text
    }
}
