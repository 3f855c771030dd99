public import VigilModels
public import VigilMonitor
public import VigilStore

/// A model's state as the dashboard names it, worst first.
public enum DashboardStatus: String, Sendable, CaseIterable {
    case notReady = "not ready"
    case unloaded
    case drift
    case notMonitored = "not monitored"
    case insufficientData = "insufficient data"
    case ok
    case serving

    /// The CSS class of its badge.
    var cssClass: String { "s-" + rawValue.split(separator: " ").joined(separator: "-") }
}

/// A time series for a sparkline.
public typealias SeriesPoint = (time: Double, value: Double)

/// One model's row on the overview.
struct ModelOverview: Sendable {
    var name: String
    var version: Int?
    var status: DashboardStatus
    /// The load error or the reason monitoring is off.
    var detail: String?
    var rate: RequestRates.Rate
    var lastRun: Double?
    /// Alert keys of the model's firing alerts.
    var firing: [String]
    /// The share of drifted features per drift run over the last day.
    var shares: [SeriesPoint]
}

/// What a model serves: its file format, version and tensors.
public struct ModelInfo: Sendable {
    public var format: String
    public var version: Int
    public var features: [Feature]
    public var inputs: [TensorSpec]
    public var outputs: [TensorSpec]

    public init(format: String, version: Int, features: [Feature], inputs: [TensorSpec], outputs: [TensorSpec]) {
        self.format = format
        self.version = version
        self.features = features
        self.inputs = inputs
        self.outputs = outputs
    }

    init(_ loaded: LoadedModel) {
        self.init(
            format: loaded.format.rawValue, version: loaded.version, features: loaded.signature.features,
            inputs: loaded.signature.inputs, outputs: loaded.signature.outputs)
    }
}

/// One alert with its history of transitions.
public struct AlertTimeline: Sendable {
    public var alert: AlertRecord
    public var transitions: [AlertTransition]
}

/// Everything a model page shows; the server reads it from the store, `vigil drift` builds it from two files.
public struct ModelPageContent: Sendable {
    public var name: String
    public var status: DashboardStatus
    public var detail: String?
    public var info: ModelInfo?
    /// The report shown: the latest, or the latest of the window asked for.
    public var report: DriftReport?
    /// The reference the report was tested against, for the charts' bins and reference shares.
    public var profile: ReferenceProfile?
    /// The current window's counts per column, for the charts.
    public var windows: [ColumnKey: ColumnWindow]
    public var shares: [SeriesPoint]
    /// Each column's drift score (Jensen–Shannon distance) per run, by alert key.
    public var scores: [String: [SeriesPoint]]
    public var alerts: [AlertTimeline]

    public init(
        name: String, status: DashboardStatus, detail: String? = nil, info: ModelInfo? = nil, report: DriftReport? = nil,
        profile: ReferenceProfile? = nil, windows: [ColumnKey: ColumnWindow] = [:], shares: [SeriesPoint] = [],
        scores: [String: [SeriesPoint]] = [:], alerts: [AlertTimeline] = []
    ) {
        self.name = name
        self.status = status
        self.detail = detail
        self.info = info
        self.report = report
        self.profile = profile
        self.windows = windows
        self.shares = shares
        self.scores = scores
        self.alerts = alerts
    }
}
