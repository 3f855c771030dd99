import Dispatch
public import FoundationEssentials
public import Logging
public import Metrics
public import ServiceLifecycle
public import VigilModels
public import VigilStore

/// Runs drift tests for every logged model on a `DispatchSourceTimer` on its own serial queue,
/// stores each report, moves alerts through their states and queues notifications (SPEC §6–§7).
/// Nothing here runs on the HTTP event loops.
///
/// Replicas that share a store (fleet mode) run it one at a time: each run first asks the store's
/// `leadership`, and a replica that does not lead only publishes the leader's latest verdicts as its
/// own drift gauges, so every replica's `/metrics` shows the fleet's state.
public struct DriftMonitor: Service {
    public let featureLog: FeatureLog
    public let store: Store
    public var windows: any FeatureWindowStore { store.windows }
    public var reports: any DriftReportStore { store.reports }
    public var alerts: any AlertStore { store.alerts }
    public var outbox: any OutboxStore { store.outbox }
    public let settings: DriftSettings
    public let stateMachine: AlertStateMachine
    public let interval: Duration
    /// Receivers of every model's alerts; models add their own in `vigil.json`.
    public let receivers: [AlertRouting.Receiver]
    /// Where the dashboard lives, for links in notifications.
    public let externalURL: String
    let logger: Logger
    let metricsFactory: (any MetricsFactory)?
    private let queue = DispatchQueue(label: "vigil.drift")

    /// A monitor over one SQLite file.
    public init(
        featureLog: FeatureLog, database: Database, settings: DriftSettings = DriftSettings(), alertFor: Int = 2,
        interval: Duration = .seconds(60), receivers: [AlertRouting.Receiver] = [], externalURL: String = "http://127.0.0.1:8080",
        logger: Logger = Logger(label: "vigil.drift"), metricsFactory: (any MetricsFactory)? = nil
    ) {
        self.init(
            featureLog: featureLog, store: .sqlite(database), settings: settings, alertFor: alertFor, interval: interval,
            receivers: receivers, externalURL: externalURL, logger: logger, metricsFactory: metricsFactory)
    }

    public init(
        featureLog: FeatureLog, store: Store, settings: DriftSettings = DriftSettings(), alertFor: Int = 2,
        interval: Duration = .seconds(60), receivers: [AlertRouting.Receiver] = [], externalURL: String = "http://127.0.0.1:8080",
        logger: Logger = Logger(label: "vigil.drift"), metricsFactory: (any MetricsFactory)? = nil
    ) {
        self.featureLog = featureLog
        self.store = store
        self.settings = settings
        self.stateMachine = AlertStateMachine(runsToChange: alertFor)
        self.interval = interval
        self.receivers = receivers
        self.externalURL = externalURL
        self.logger = logger
        self.metricsFactory = metricsFactory
    }

    public func run() async throws {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let nanoseconds = Int(interval.components.seconds) * 1_000_000_000 + Int(interval.components.attoseconds / 1_000_000_000)
        timer.schedule(deadline: .now() + .nanoseconds(nanoseconds), repeating: .nanoseconds(nanoseconds))
        timer.setEventHandler { _ = self.runOnce() }
        timer.resume()
        defer { timer.cancel() }
        try await gracefulShutdown()
    }

    /// One drift run over every logged model, at `now` (seconds since 1970), when this process
    /// leads the monitor. Returns the reports (none on a replica that does not lead).
    @discardableResult
    public func runOnce(now: Double = Date().timeIntervalSince1970) -> [DriftReport] {
        guard store.leadership.holdsLead() else {
            gauge("vigil_monitor_leader", []).record(0)
            publishLeaderVerdicts()
            return []
        }
        gauge("vigil_monitor_leader", []).record(1)
        var made: [DriftReport] = []
        for (profile, configuration) in featureLog.monitoredModels() {
            do {
                made.append(try run(profile: profile, configuration: configuration, now: now))
            } catch {
                logger.error("drift run failed", metadata: ["model": "\(profile.model)", "error": "\(error)"])
            }
        }
        return made
    }

    private func run(profile: ReferenceProfile, configuration: ModelConfiguration, now: Double) throws -> DriftReport {
        let modelSettings = settings.applying(configuration.drift)
        var from = Int64(now) - Int64(modelSettings.windowMinutes) * 60
        if let lastRows = modelSettings.lastRows, let start = try windows.startOfLast(rows: Int64(lastRows), model: profile.model) {
            from = start
        }
        let to = Int64(now) + 1
        let current = try windows.aggregate(model: profile.model, from: from, to: to)
        let report = DriftEngine(settings: modelSettings).report(
            profile: profile, current: current, windowStart: Double(from), windowEnd: Double(to), createdAt: now)
        let body = (try? JSONEncoder.reports.encode(report)).map(Array.init) ?? []
        var scores: [String: Double] = [:]
        for column in report.columns { scores[Self.alertKey(column)] = column.jensenShannon }
        try reports.insert(
            model: report.model, createdAt: now, windowStart: report.windowStart, windowEnd: report.windowEnd,
            status: report.status.rawValue, datasetDrift: report.datasetDrift, driftedShare: report.driftedShare,
            scores: scores, body: body)
        publishScores(report)
        let verdicts = Self.verdicts(report)
        let notices = try updateAlerts(report, verdicts: verdicts, now: now)
        let modelReceivers = receivers + (configuration.alerts?.receivers ?? [])
        if !notices.isEmpty { try enqueue(notices, to: modelReceivers.filter { $0.format != .alertmanagerAPI }, now: now) }
        try sendAlertmanagerState(report, verdicts: verdicts, to: modelReceivers.filter { $0.format == .alertmanagerAPI }, now: now)
        logger.info(
            "drift run",
            metadata: [
                "model": "\(report.model)", "status": "\(report.status.rawValue)", "rows": "\(report.rows)",
                "drifted": "\(report.features.filter(\.drifted).map(\.name))",
            ])
        return report
    }

    /// The alert key of a column: its name for features, `prediction:<name>` for outputs.
    public static func alertKey(_ column: ColumnDrift) -> String {
        column.role == .input ? column.name : "prediction:\(column.name)"
    }

    /// The alert key of the dataset verdict.
    public static let datasetAlertKey = "__dataset__"

    private func updateAlerts(_ report: DriftReport, verdicts: [(key: String, drifted: Bool, detail: String)], now: Double) throws
        -> [AlertNotice]
    {
        let insufficient = report.status == .insufficientData
        var existing: [String: AlertRecord] = [:]
        for record in try alerts.alerts(model: report.model) { existing[record.feature] = record }
        var notices: [AlertNotice] = []
        for (key, drifted, detail) in verdicts {
            let record =
                existing[key] ?? AlertRecord(model: report.model, feature: key, state: AlertState.inactive.rawValue, updatedAt: now)
            let (updated, transition) = stateMachine.next(record, drifted: insufficient ? nil : drifted, at: now, detail: detail)
            gauge("vigil_alert_firing", [("model", report.model), ("feature", key)]).record(
                updated.state == AlertState.firing.rawValue ? 1 : 0)
            // Quiet pairs that never alerted are not stored: the table holds alerts, not every feature.
            guard existing[key] != nil || updated.state != AlertState.inactive.rawValue else { continue }
            guard updated != record || transition != nil else { continue }
            try alerts.save(updated, transition: transition)
            guard let transition else { continue }
            logger.notice(
                "alert \(transition.from ?? "none") → \(transition.to)",
                metadata: ["model": "\(report.model)", "feature": "\(key)", "detail": "\(detail)"])
            if transition.to == AlertState.firing.rawValue || transition.to == AlertState.resolved.rawValue {
                let firing = transition.to == AlertState.firing.rawValue
                notices.append(
                    AlertNotice(
                        model: report.model, feature: key, firing: firing, startsAt: updated.startedAt ?? now, endsAt: firing ? nil : now,
                        summary: Self.summary(model: report.model, key: key, firing: firing), description: detail,
                        dashboardURL: Self.evidenceURL(externalURL: externalURL, report: report)))
            }
        }
        return notices
    }

    /// Every alert key of `report` with its verdict and the words that explain it.
    static func verdicts(_ report: DriftReport) -> [(key: String, drifted: Bool, detail: String)] {
        var verdicts = report.columns.map { (key: Self.alertKey($0), drifted: $0.drifted, detail: Self.describe($0)) }
        verdicts.append(
            (
                Self.datasetAlertKey, report.datasetDrift,
                "\(Int((report.driftedShare * 100).rounded()))% of features drifted (threshold \(Int(report.settings.datasetShare * 100))%)"
            ))
        return verdicts
    }

    static func summary(model: String, key: String, firing: Bool) -> String {
        "\(firing ? "Drift" : "No more drift") in \(model)/\(key)"
    }

    /// The dashboard page of `report`'s model showing that very report: `since` is its window's
    /// start and `until` the moment it was made, so the page can be linked as evidence.
    public static func evidenceURL(externalURL: String, report: DriftReport) -> String {
        let since = Int64(report.windowStart.rounded(.down))
        let until = Int64(report.createdAt.rounded(.up))
        return "\(externalURL)/dashboard/models/\(report.model)?since=\(since)&until=\(until)"
    }

    static func describe(_ column: ColumnDrift) -> String {
        var parts: [String] = []
        if let test = column.test, let p = column.correctedPValue { parts.append("\(test) corrected p=\(String(printf: "%.3g", p))") }
        for (name, value) in column.scores where name != "ks" && name != "chi2" { parts.append("\(name)=\(String(printf: "%.3g", value))") }
        return parts.joined(separator: ", ")
    }

    private func enqueue(_ notices: [AlertNotice], to receivers: [AlertRouting.Receiver], now: Double) throws {
        for receiver in receivers {
            let notifier = receiver.notifier(externalURL: externalURL)
            try outbox.enqueue(
                receiver: receiver.deliveryURL, contentType: notifier.contentType,
                payload: notifier.payload(for: notices, receiver: "vigil"), at: now)
        }
    }

    /// On a replica that does not lead: the leader's newest report of each monitored model, and
    /// the alerts' states, as this replica's gauges.
    private func publishLeaderVerdicts() {
        do {
            let decoder = JSONDecoder.reports
            for (profile, _) in featureLog.monitoredModels() {
                guard let stored = try reports.latest(model: profile.model),
                    let report = try? decoder.decode(DriftReport.self, from: Data(stored.body))
                else { continue }
                publishScores(report)
            }
            for record in try alerts.alerts(model: nil, state: nil) {
                gauge("vigil_alert_firing", [("model", record.model), ("feature", record.feature)]).record(
                    record.state == AlertState.firing.rawValue ? 1 : 0)
            }
        } catch {
            logger.warning("cannot read the fleet's drift verdicts", metadata: ["error": "\(error)"])
        }
    }

    private func publishScores(_ report: DriftReport) {
        gauge("vigil_dataset_drift", [("model", report.model)]).record(report.datasetDrift ? 1 : 0)
        for column in report.columns {
            for (test, value) in column.scores {
                gauge("vigil_feature_drift_score", [("model", report.model), ("feature", Self.alertKey(column)), ("test", test)]).record(
                    value)
            }
        }
    }

    private func gauge(_ label: String, _ dimensions: [(String, String)]) -> Gauge {
        if let metricsFactory { return Gauge(label: label, dimensions: dimensions, factory: metricsFactory) }
        return Gauge(label: label, dimensions: dimensions)
    }
}

extension JSONEncoder {
    /// Reports as stored and served: sorted keys, no NaN (optional statistics are left out instead).
    public static var reports: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }
}

extension JSONDecoder {
    /// Reads reports as `JSONEncoder.reports` writes them.
    public static var reports: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }
}

extension DriftMonitor: NamedService {
    public static var serviceName: String { "DriftMonitor" }
}
