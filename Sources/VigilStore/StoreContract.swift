/// What Vigil stores, as one family of protocols with an implementation per storage engine:
/// SQLite (`SQLite…Store`, one file, the default) and PostgreSQL (`Postgres…Store`, shared by a
/// fleet of replicas). Both keep the same semantics; `Tests/VigilStoreTests/StoreContractTests`
/// runs one set of tests against each. Every call blocks, so callers make them off the event loops.

/// Feature and prediction windows: written as additive deltas, read back merged.
public protocol FeatureWindowStore: Sendable {
    /// Adds every window delta to the stored windows and stores the payload samples, all in one transaction.
    func apply(_ windows: [Int64: [ColumnKey: ColumnWindow]], payloads: [PayloadSample]) throws
    /// Every column of `model` summed over the windows that start in `[from, to)` (over every replica);
    /// samples merge into one of up to `sampleCapacity` values, or are left out without `includeSamples`.
    func aggregate(model: String, from: Int64, to: Int64, sampleCapacity: Int, includeSamples: Bool) throws -> [ColumnKey: ColumnWindow]
    /// The start of the most recent windows of `model` that together hold at least `rows` rows
    /// (the oldest window when they all hold fewer); nil when nothing is stored.
    func startOfLast(rows: Int64, model: String) throws -> Int64?
    /// Deletes windows that start before `cutoff` and payload samples received before it; returns the rows deleted.
    @discardableResult
    func deleteWindows(before cutoff: Int64) throws -> Int
}

extension FeatureWindowStore {
    public func apply(_ windows: [Int64: [ColumnKey: ColumnWindow]]) throws {
        try apply(windows, payloads: [])
    }

    public func aggregate(model: String, from: Int64, to: Int64, includeSamples: Bool = true) throws -> [ColumnKey: ColumnWindow] {
        try aggregate(model: model, from: from, to: to, sampleCapacity: 5000, includeSamples: includeSamples)
    }
}

/// How far back the newest windows reach to hold a number of rows, for `startOfLast`.
enum RecentWindows {
    /// The start of the newest windows (given newest first, as start and rows) that together hold
    /// at least `rows` rows; the oldest start when they all hold fewer; nil when there are none.
    static func start(coveringLast rows: Int64, newestFirst windows: [(Int64, Int64)]) -> Int64? {
        var total: Int64 = 0
        for (start, count) in windows {
            total += count
            if total >= rows { return start }
        }
        return windows.last?.0
    }
}

/// Reference profiles, one per distinct content (keyed by fingerprint), shared by every replica.
public protocol ReferenceProfileStore: Sendable {
    /// Stores `profile` unless the same content is already stored.
    func save(_ profile: ReferenceProfile) throws
    /// The most recently stored profile of `model`.
    func latest(model: String) throws -> ReferenceProfile?
}

/// Drift reports, for the API and history charts.
public protocol DriftReportStore: Sendable {
    /// Stores one report. `scores` maps each column's alert key to its drift score, for history charts.
    @discardableResult
    func insert(
        model: String, createdAt: Double, windowStart: Double, windowEnd: Double, status: String, datasetDrift: Bool,
        driftedShare: Double?, scores: [String: Double], body: [UInt8]
    ) throws -> Int64
    func latest(model: String) throws -> StoredReport?
    /// The newest report of `model` created in `[since, until]`.
    func latest(model: String, since: Double, until: Double) throws -> StoredReport?
    /// Reports of `model` created in `[since, until]`, oldest first, at most `limit`.
    func history(model: String, since: Double, until: Double, limit: Int) throws -> [StoredReport]
    /// Up to `points` reports of `model` (all models when nil) created in `[since, until]`, evenly
    /// spread over the reports there are, oldest first, without their bodies.
    func series(model: String?, since: Double, until: Double, points: Int) throws -> [ReportPoint]
    /// The newest report of every model, without bodies, by model name.
    func latestPoints() throws -> [String: ReportPoint]
    /// The per-column drift scores stored with report `id`.
    func scores(id: Int64) throws -> [String: Double]
    /// Deletes reports created before `cutoff`.
    func deleteReports(before cutoff: Double) throws
}

extension DriftReportStore {
    public func history(model: String, since: Double, until: Double) throws -> [StoredReport] {
        try history(model: model, since: since, until: until, limit: 1000)
    }
}

/// Alerts, one per (model, feature), and their transitions, kept as history.
public protocol AlertStore: Sendable {
    /// Every alert of `model` (all models when nil), optionally only those in `state`, by model and feature.
    func alerts(model: String?, state: String?) throws -> [AlertRecord]
    func alert(id: Int64) throws -> AlertRecord?
    /// Saves `record` (inserting it the first time) and its transition, if any, in one transaction; returns the id.
    @discardableResult
    func save(_ record: AlertRecord, transition: AlertTransition?) throws -> Int64
    /// The transitions of alert `id`, oldest first.
    func transitions(id: Int64) throws -> [AlertTransition]
    /// Marks alert `id` acknowledged; false when there is no such alert.
    func acknowledge(id: Int64, at time: Double) throws -> Bool
}

extension AlertStore {
    public func alerts(model: String? = nil) throws -> [AlertRecord] {
        try alerts(model: model, state: nil)
    }

    public func alerts(state: String?) throws -> [AlertRecord] {
        try alerts(model: nil, state: state)
    }
}

/// Notifications kept until a receiver takes them, so they survive restarts.
public protocol OutboxStore: Sendable {
    /// Queues `payload` for `receiver`. With a `supersedes` key, an undelivered item of the same receiver
    /// and key is replaced, so a receiver that takes the current state gets only the newest.
    func enqueue(receiver: String, contentType: String, payload: [UInt8], at time: Double, supersedes key: String?) throws
    /// Undelivered items whose next attempt is due at `time`, oldest first, claimed for this process
    /// for `lease` seconds: no other process is handed them until they are marked or the lease runs out.
    func claimDue(at time: Double, limit: Int, lease: Double) throws -> [OutboxItem]
    func markDelivered(id: Int64, at time: Double) throws
    /// Records a failed attempt and when to try again; `next` of nil gives up on the item.
    func reschedule(id: Int64, next: Double?, error: String) throws
    /// Items not yet delivered, for metrics and tests.
    func pendingCount() throws -> Int
}

extension OutboxStore {
    public func enqueue(receiver: String, contentType: String, payload: [UInt8], at time: Double) throws {
        try enqueue(receiver: receiver, contentType: contentType, payload: payload, at: time, supersedes: nil)
    }
}

/// Who runs the drift monitor: exactly one process of those sharing a store.
public protocol MonitorLeadership: Sendable {
    /// Whether this process leads now; takes the lead when nobody holds it.
    func holdsLead() -> Bool
}

/// The only process on a store of its own: a SQLite file has one monitor, its own.
public struct SoleLeadership: MonitorLeadership {
    public init() {}
    public func holdsLead() -> Bool { true }
}
