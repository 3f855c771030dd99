import FoundationEssentials
public import VigilModels
import VigilStore

/// One alert as receivers see it: firing or resolved, with what moved and since when.
public struct AlertNotice: Sendable, Equatable {
    public var model: String
    public var feature: String
    public var firing: Bool
    public var startsAt: Double
    public var endsAt: Double?
    public var summary: String
    public var description: String
    /// The dashboard page of the report that made this transition, when known.
    public var dashboardURL: String?

    public init(
        model: String, feature: String, firing: Bool, startsAt: Double, endsAt: Double?, summary: String, description: String,
        dashboardURL: String? = nil
    ) {
        self.model = model
        self.feature = feature
        self.firing = firing
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.summary = summary
        self.description = description
        self.dashboardURL = dashboardURL
    }

    /// Stable per (model, feature), as Alertmanager's fingerprint is per label set.
    public var fingerprint: String {
        ContentHash.hex("\(model)\u{0}\(feature)".utf8)
    }
}

/// Turns notices into the body a kind of receiver expects.
public protocol Notifier: Sendable {
    var contentType: String { get }
    func payload(for notices: [AlertNotice], receiver: String) -> [UInt8]
}

/// The Alertmanager webhook format (version 4), as Alertmanager itself sends to webhook receivers.
public struct AlertmanagerNotifier: Notifier {
    public var externalURL: String

    public init(externalURL: String) { self.externalURL = externalURL }

    public var contentType: String { "application/json" }

    public func payload(for notices: [AlertNotice], receiver: String) -> [UInt8] {
        let models = Set(notices.map(\.model)).sorted()
        let document = WebhookDocument(
            version: "4",
            groupKey: "{}:{model=\"\(models.joined(separator: ","))\"}",
            truncatedAlerts: 0,
            status: notices.contains { $0.firing } ? "firing" : "resolved",
            receiver: receiver,
            groupLabels: ["model": models.joined(separator: ",")],
            commonLabels: models.count == 1 ? ["alertname": "VigilDrift", "model": models[0]] : ["alertname": "VigilDrift"],
            commonAnnotations: [:],
            externalURL: externalURL,
            alerts: notices.map { notice in
                WebhookDocument.Alert(
                    status: notice.firing ? "firing" : "resolved",
                    labels: Self.labels(notice),
                    annotations: ["summary": notice.summary, "description": notice.description],
                    startsAt: Self.timestamp(notice.startsAt),
                    // Alertmanager's zero time means "no end yet".
                    endsAt: notice.endsAt.map(Self.timestamp) ?? "0001-01-01T00:00:00Z",
                    generatorURL: notice.dashboardURL ?? "\(externalURL)/dashboard",
                    fingerprint: notice.fingerprint)
            })
        return NotificationJSON.encode(document)
    }

    /// Alertmanager's webhook body, version 4.
    struct WebhookDocument: Encodable {
        struct Alert: Encodable {
            var status: String
            var labels: [String: String]
            var annotations: [String: String]
            var startsAt: String
            var endsAt: String
            var generatorURL: String
            var fingerprint: String
        }

        var version: String
        var groupKey: String
        var truncatedAlerts: Int
        var status: String
        var receiver: String
        var groupLabels: [String: String]
        var commonLabels: [String: String]
        var commonAnnotations: [String: String]
        var externalURL: String
        var alerts: [Alert]
    }

    static func labels(_ notice: AlertNotice) -> [String: String] {
        ["alertname": "VigilDrift", "model": notice.model, "feature": notice.feature, "severity": "warning", "service": "vigil"]
    }

    static func timestamp(_ seconds: Double) -> String {
        Date(timeIntervalSince1970: seconds).formatted(.iso8601)
    }
}

/// Alertmanager's API (`POST /api/v2/alerts`), as Prometheus speaks it: a list of alerts with
/// labels, annotations, `startsAt`, `endsAt` and `generatorURL`. Firing alerts carry an `endsAt` a
/// few resend intervals ahead, so Alertmanager resolves them by itself if Vigil stops sending;
/// resolved ones carry the moment they resolved.
public struct AlertmanagerAPINotifier: Notifier {
    public init() {}

    public var contentType: String { "application/json" }

    public func payload(for notices: [AlertNotice], receiver: String) -> [UInt8] {
        NotificationJSON.encode(
            notices.map { notice in
                PostableAlert(
                    labels: AlertmanagerNotifier.labels(notice),
                    annotations: ["summary": notice.summary, "description": notice.description, "dashboard": notice.dashboardURL ?? ""],
                    startsAt: AlertmanagerNotifier.timestamp(notice.startsAt),
                    endsAt: notice.endsAt.map(AlertmanagerNotifier.timestamp),
                    generatorURL: notice.dashboardURL)
            })
    }

    /// One element of `POST /api/v2/alerts` (Alertmanager's `postableAlert`); nil fields are left out.
    struct PostableAlert: Encodable {
        var labels: [String: String]
        var annotations: [String: String]
        var startsAt: String
        var endsAt: String?
        var generatorURL: String?
    }

    /// The API endpoint for an Alertmanager at `url`: its base address, or the endpoint itself.
    public static func alertsEndpoint(_ url: String) -> String {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        return base.hasSuffix("/api/v2/alerts") ? base : base + "/api/v2/alerts"
    }
}

/// A Slack incoming-webhook body: `{"text": ...}`, one line per alert.
public struct SlackNotifier: Notifier {
    public init() {}

    public var contentType: String { "application/json" }

    public func payload(for notices: [AlertNotice], receiver: String) -> [UInt8] {
        let lines = notices.map { notice in
            "\(notice.firing ? ":rotating_light: FIRING" : ":white_check_mark: RESOLVED") \(notice.summary) — \(notice.description)"
                + (notice.dashboardURL.map { " <\($0)|dashboard>" } ?? "")
        }
        return NotificationJSON.encode(["text": lines.joined(separator: "\n")])
    }
}

/// The one JSON encoding of notification bodies: sorted keys, slashes as they are.
enum NotificationJSON {
    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map(Array.init) ?? []
    }
}

extension AlertRouting.Receiver {
    /// The notifier that writes this receiver's format.
    public func notifier(externalURL: String) -> any Notifier {
        switch format {
        case .alertmanager: AlertmanagerNotifier(externalURL: externalURL)
        case .alertmanagerAPI: AlertmanagerAPINotifier()
        case .slack: SlackNotifier()
        }
    }

    /// Where notifications are posted: the URL as given, or Alertmanager's alerts endpoint for its API.
    public var deliveryURL: String {
        format == .alertmanagerAPI ? AlertmanagerAPINotifier.alertsEndpoint(url) : url
    }
}
