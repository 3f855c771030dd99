/// The drift rule of SPEC §6: a column drifts when its test is significant after correction AND
/// an effect size passes its threshold; the dataset drifts when enough columns do, or a critical one.
public struct DriftSettings: Sendable, Equatable, Codable {
    public enum Correction: String, Sendable, Codable {
        case benjaminiHochberg = "bh"
        case bonferroni
    }

    /// Significance level for corrected p-values.
    public var pValue = 0.05
    public var correction = Correction.benjaminiHochberg
    /// Effect-size thresholds; any one passing counts.
    public var wasserstein = 0.1
    public var psi = 0.2
    public var jensenShannon = 0.1
    /// Categorical columns: a share of unseen categories at least this large is an effect too.
    public var unseenShare = 0.1
    /// The dataset drifts when at least this share of input features drift.
    public var datasetShare = 0.5
    /// Windows with fewer rows report insufficient data.
    public var minimumRows = 100
    /// The current window: the last this many minutes …
    public var windowMinutes = 60
    /// … or, when set, the most recent windows holding at least this many rows.
    public var lastRows: Int?

    public init() {}

    /// Settings from `vigil.json`'s `drift` object; absent keys keep the value they had.
    public struct Overrides: Sendable, Equatable, Decodable {
        public var pValue: Double?
        public var correction: Correction?
        public var wasserstein: Double?
        public var psi: Double?
        public var jensenShannon: Double?
        public var unseenShare: Double?
        public var datasetShare: Double?
        public var minimumRows: Int?
        public var windowMinutes: Int?
        public var lastRows: Int?

        enum CodingKeys: String, CodingKey {
            case pValue = "p_value"
            case correction, wasserstein, psi
            case jensenShannon = "jensen_shannon"
            case unseenShare = "unseen_share"
            case datasetShare = "dataset_share"
            case minimumRows = "min_rows"
            case windowMinutes = "window_minutes"
            case lastRows = "last_rows"
        }

        public init() {}
    }

    /// These settings with `overrides` applied.
    public func applying(_ overrides: Overrides?) -> DriftSettings {
        guard let overrides else { return self }
        var settings = self
        if let value = overrides.pValue { settings.pValue = value }
        if let value = overrides.correction { settings.correction = value }
        if let value = overrides.wasserstein { settings.wasserstein = value }
        if let value = overrides.psi { settings.psi = value }
        if let value = overrides.jensenShannon { settings.jensenShannon = value }
        if let value = overrides.unseenShare { settings.unseenShare = value }
        if let value = overrides.datasetShare { settings.datasetShare = value }
        if let value = overrides.minimumRows { settings.minimumRows = value }
        if let value = overrides.windowMinutes { settings.windowMinutes = value }
        if let value = overrides.lastRows { settings.lastRows = value }
        return settings
    }
}

/// `vigil.json`'s `alerts` object: webhook receivers for this model's alerts.
public struct AlertRouting: Sendable, Equatable, Decodable {
    public struct Receiver: Sendable, Equatable, Decodable {
        public enum Format: String, Sendable, Decodable {
            /// Alertmanager's webhook JSON (what Alertmanager sends to its webhook receivers), for tools that take it.
            case alertmanager
            /// Alertmanager's own API (`POST /api/v2/alerts`), as Prometheus sends alerts into Alertmanager.
            case alertmanagerAPI = "alertmanager-api"
            /// Slack's incoming-webhook `{"text": ...}`.
            case slack
        }
        public var url: String
        public var format: Format

        public init(url: String, format: Format) {
            self.url = url
            self.format = format
        }
    }

    public var receivers: [Receiver]

    public init(receivers: [Receiver]) { self.receivers = receivers }
}
