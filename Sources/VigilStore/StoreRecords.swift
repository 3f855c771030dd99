/// The records the stores keep, the same for every storage engine.

/// One alert: the state of one (model, feature) pair. There is never more than one per pair.
public struct AlertRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var model: String
    public var feature: String
    public var state: String
    /// Consecutive runs counted toward the next change (drifted runs when quiet, clean runs when firing).
    public var consecutive: Int
    public var startedAt: Double?
    public var resolvedAt: Double?
    public var acknowledgedAt: Double?
    public var updatedAt: Double

    public init(
        id: Int64 = 0, model: String, feature: String, state: String, consecutive: Int = 0, startedAt: Double? = nil,
        resolvedAt: Double? = nil, acknowledgedAt: Double? = nil, updatedAt: Double
    ) {
        self.id = id
        self.model = model
        self.feature = feature
        self.state = state
        self.consecutive = consecutive
        self.startedAt = startedAt
        self.resolvedAt = resolvedAt
        self.acknowledgedAt = acknowledgedAt
        self.updatedAt = updatedAt
    }
}

/// A change of an alert's state, kept forever as its history.
public struct AlertTransition: Sendable, Equatable {
    public var from: String?
    public var to: String
    public var at: Double
    public var detail: String

    public init(from: String?, to: String, at: Double, detail: String) {
        self.from = from
        self.to = to
        self.at = at
        self.detail = detail
    }
}

/// A stored drift report: its metadata and the report itself as JSON.
public struct StoredReport: Sendable, Equatable {
    public var id: Int64
    public var model: String
    public var createdAt: Double
    public var status: String
    public var datasetDrift: Bool
    public var body: [UInt8]
}

/// One report's place in a model's history, without its body: what a sparkline is drawn from.
public struct ReportPoint: Sendable, Equatable {
    public var id: Int64
    public var model: String
    public var createdAt: Double
    public var status: String
    /// The share of features that drifted; nil for reports stored before it was recorded.
    public var driftedShare: Double?
}

/// A notification waiting to be delivered.
public struct OutboxItem: Sendable, Equatable {
    public var id: Int64
    public var receiver: String
    public var contentType: String
    public var payload: [UInt8]
    public var attempts: Int
}

/// One sampled request row, as JSON text, for payload logging.
public struct PayloadSample: Sendable, Equatable {
    public var model: String
    public var receivedAt: Double
    public var features: String
    public var outputs: String

    public init(model: String, receivedAt: Double, features: String, outputs: String) {
        self.model = model
        self.receivedAt = receivedAt
        self.features = features
        self.outputs = outputs
    }
}
