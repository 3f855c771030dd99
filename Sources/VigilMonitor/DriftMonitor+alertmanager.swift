import VigilModels
import VigilStore

/// Alertmanager's own API as a receiver of the monitor's alerts.
extension DriftMonitor {
    /// How long Prometheus keeps re-sending an alert after it resolved, so a lost message is made good.
    static let resolvedResendWindow = 15.0 * 60

    /// Alertmanager's API is level-based, as Prometheus uses it: every run sends the model's firing
    /// alerts (valid for four intervals of at least a minute, so Alertmanager resolves them itself if
    /// Vigil goes away) and those resolved in the last 15 minutes. Each item replaces the model's
    /// undelivered one.
    func sendAlertmanagerState(
        _ report: DriftReport, verdicts: [(key: String, drifted: Bool, detail: String)], to receivers: [AlertRouting.Receiver],
        now: Double
    ) throws {
        guard !receivers.isEmpty else { return }
        let details = Dictionary(verdicts.map { ($0.key, $0.detail) }, uniquingKeysWith: { first, _ in first })
        // Prometheus's rule: valid for four times the larger of the run interval and its one-minute resend delay.
        let validity = 4 * max(Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18, 60)
        let link = Self.evidenceURL(externalURL: externalURL, report: report)
        var notices: [AlertNotice] = []
        for record in try alerts.alerts(model: report.model) {
            let firing = record.state == AlertState.firing.rawValue
            let recentlyResolved =
                record.state == AlertState.resolved.rawValue && (record.resolvedAt ?? 0) >= now - Self.resolvedResendWindow
            guard firing || recentlyResolved else { continue }
            notices.append(
                AlertNotice(
                    model: record.model, feature: record.feature, firing: firing, startsAt: record.startedAt ?? record.updatedAt,
                    endsAt: firing ? now + validity : (record.resolvedAt ?? now),
                    summary: Self.summary(model: record.model, key: record.feature, firing: firing),
                    description: details[record.feature] ?? "",
                    dashboardURL: link))
        }
        guard !notices.isEmpty else { return }
        let notifier = AlertmanagerAPINotifier()
        for receiver in receivers {
            try outbox.enqueue(
                receiver: receiver.deliveryURL, contentType: notifier.contentType,
                payload: notifier.payload(for: notices, receiver: "vigil"),
                at: now, supersedes: "alertmanager-state:\(report.model)")
        }
    }
}
