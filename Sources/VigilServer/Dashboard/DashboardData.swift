import FoundationEssentials
import VigilModels
import VigilMonitor
import VigilStore

/// Gathers what the dashboard pages show: in-memory state (models, rates, monitoring) on the
/// caller, and every store read in one closure on the `StoreQueue`'s queue.
struct DashboardData: Sendable {
    let repository: ModelRepository
    let featureLog: FeatureLog?
    let metrics: ServerMetrics
    let store: StoreQueue?

    /// How far back the sparklines reach, and how many points they hold at most.
    static let historySeconds = 86_400.0
    static let sparklinePoints = 48

    func overview(now: Double) async throws(VigilError) -> [ModelOverview] {
        let entries = repository.snapshot.values.sorted { $0.name < $1.name }
        struct Stored: Sendable {
            var latest: [String: ReportPoint] = [:]
            var series: [ReportPoint] = []
            var firing: [AlertRecord] = []
        }
        var stored = Stored()
        if let store {
            stored = try await store.run { storage in
                let reports = storage.reports
                return Stored(
                    latest: try reports.latestPoints(),
                    series: try reports.series(model: nil, since: now - Self.historySeconds, until: now + 1, points: Self.sparklinePoints),
                    firing: try storage.alerts.alerts(state: "firing"))
            }
        }
        let seriesByModel = Dictionary(grouping: stored.series, by: \.model)
        let firingByModel = Dictionary(grouping: stored.firing, by: \.model)
        return entries.map { entry in
            let (status, detail) = self.status(of: entry, latest: stored.latest[entry.name]?.status)
            return ModelOverview(
                name: entry.name, version: entry.defaultVersion, status: status, detail: detail,
                rate: metrics.rates.rate(model: entry.name, at: now), lastRun: stored.latest[entry.name]?.createdAt,
                firing: (firingByModel[entry.name] ?? []).map(\.feature),
                shares: (seriesByModel[entry.name] ?? []).compactMap { point in point.driftedShare.map { (point.createdAt, $0) } })
        }
    }

    /// The page of model `name`, showing its latest report or the latest one created in `[since, until]`.
    func modelPage(name: String, since: Double?, until: Double?, now: Double) async throws(VigilError) -> ModelPageContent {
        let entry = try repository.requireEntry(named: name)
        let loaded: LoadedModel? = if case .ready(let model)? = entry.state(version: nil) { model } else { nil }
        let profile = featureLog?.accumulator(for: name)?.profile
        var content = ModelPageContent(name: name, status: .serving, info: loaded.map(ModelInfo.init), profile: profile)
        guard let store else {
            (content.status, content.detail) = status(of: entry, latest: nil)
            return content
        }
        let windowed = since != nil || until != nil
        struct Stored: Sendable {
            var report: StoredReport?
            var windows: [ColumnKey: ColumnWindow] = [:]
            var series: [ReportPoint] = []
            var scores: [(Double, [String: Double])] = []
            var alerts: [AlertTimeline] = []
        }
        let stored = try await store.run { storage in
            let reports = storage.reports
            var stored = Stored()
            stored.report =
                windowed
                ? try reports.latest(model: name, since: since ?? 0, until: until ?? now + 1)
                : try reports.latest(model: name)
            let end = stored.report?.createdAt ?? now
            stored.series = try reports.series(model: name, since: end - Self.historySeconds, until: end, points: Self.sparklinePoints)
            stored.scores = try stored.series.map { ($0.createdAt, try reports.scores(id: $0.id)) }
            let alerts = storage.alerts
            stored.alerts = try alerts.alerts(model: name).map { AlertTimeline(alert: $0, transitions: try alerts.transitions(id: $0.id)) }
            return stored
        }
        if let body = stored.report?.body {
            content.report = try? JSONDecoder.reports.decode(DriftReport.self, from: Data(body))
        }
        if let report = content.report {
            content.windows = try await store.run { storage in
                try storage.windows.aggregate(
                    model: name, from: Int64(report.windowStart), to: Int64(report.windowEnd), includeSamples: false)
            }
        } else if windowed {
            throw VigilError.notFound(
                "model '\(name)' has no drift report created between \(DashboardFormat.time(since ?? 0)) and \(DashboardFormat.time(until ?? now))"
            )
        }
        content.shares = stored.series.compactMap { point in point.driftedShare.map { (point.createdAt, $0) } }
        for (time, scores) in stored.scores {
            for (key, value) in scores { content.scores[key, default: []].append((time, value)) }
        }
        content.alerts = stored.alerts
        (content.status, content.detail) = status(of: entry, latest: stored.report?.status)
        return content
    }

    /// The status a model is shown with, and the detail that explains it.
    func status(of entry: ModelEntry, latest: String?) -> (DashboardStatus, String?) {
        switch entry.state(version: nil) {
        case .failed(let message)?: return (.notReady, message)
        case .unavailable?: return (.unloaded, "unloaded by an admin request")
        case nil: return (.notReady, "no version folder loaded")
        case .ready?: break
        }
        guard let featureLog else { return (.notMonitored, "feature logging is off (--feature-log false)") }
        if let reason = featureLog.notMonitoredReason(model: entry.name) { return (.notMonitored, reason) }
        switch latest {
        case DriftReport.Status.drift.rawValue?: return (.drift, nil)
        case DriftReport.Status.ok.rawValue?: return (.ok, nil)
        case DriftReport.Status.insufficientData.rawValue?: return (.insufficientData, nil)
        default: return (.serving, "no drift run yet")
        }
    }
}
