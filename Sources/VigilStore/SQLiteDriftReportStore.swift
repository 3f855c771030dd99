import FoundationEssentials

/// Drift reports in SQLite, for the API and history charts. Every query runs on the reading connection.
public struct SQLiteDriftReportStore: DriftReportStore {
    public let database: Database

    public init(database: Database) { self.database = database }

    /// Stores one report. `scores` maps each column's alert key to its drift score, for history charts.
    @discardableResult
    public func insert(
        model: String, createdAt: Double, windowStart: Double, windowEnd: Double, status: String, datasetDrift: Bool,
        driftedShare: Double? = nil, scores: [String: Double] = [:], body: [UInt8]
    ) throws(SQLiteError) -> Int64 {
        let encodedScores = (try? JSONEncoder().encode(scores.filter { $0.value.isFinite })).map(Array.init) ?? []
        return try database.withConnection { connection throws(SQLiteError) in
            try connection.run(
                """
                INSERT INTO drift_reports (model, created_at, window_start, window_end, status, dataset_drift, drifted_share, scores, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                .text(model), .real(createdAt), .real(windowStart), .real(windowEnd), .text(status), .integer(datasetDrift ? 1 : 0),
                driftedShare.map { .real($0) } ?? .null, .blob(encodedScores), .blob(body))
            return try connection.prepare("SELECT last_insert_rowid()").rows { $0.int64(0) }.first ?? 0
        }
    }

    public func latest(model: String) throws(SQLiteError) -> StoredReport? {
        try query("WHERE model = ? ORDER BY created_at DESC, id DESC LIMIT 1", [.text(model)]).first
    }

    /// The newest report of `model` created in `[since, until]`.
    public func latest(model: String, since: Double, until: Double) throws(SQLiteError) -> StoredReport? {
        try query(
            "WHERE model = ? AND created_at >= ? AND created_at <= ? ORDER BY created_at DESC, id DESC LIMIT 1",
            [.text(model), .real(since), .real(until)]
        ).first
    }

    /// Reports of `model` created in `[since, until]`, oldest first, at most `limit`.
    public func history(model: String, since: Double, until: Double, limit: Int = 1000) throws(SQLiteError) -> [StoredReport] {
        try query(
            "WHERE model = ? AND created_at >= ? AND created_at <= ? ORDER BY created_at, id LIMIT ?",
            [.text(model), .real(since), .real(until), .integer(Int64(limit))])
    }

    /// Up to `points` reports of `model` (all models when nil) created in `[since, until]`, evenly
    /// spread over the reports there are, oldest first, without their bodies.
    public func series(model: String?, since: Double, until: Double, points: Int) throws(SQLiteError) -> [ReportPoint] {
        try database.read { connection throws(SQLiteError) in
            try connection.prepare(
                """
                SELECT id, model, created_at, status, drifted_share FROM (
                    SELECT id, model, created_at, status, drifted_share,
                           row_number() OVER (PARTITION BY model ORDER BY created_at, id) - 1 AS n,
                           count(*) OVER (PARTITION BY model) AS total
                    FROM drift_reports WHERE (?1 IS NULL OR model = ?1) AND created_at >= ?2 AND created_at <= ?3)
                WHERE n % max(1, (total + ?4 - 1) / ?4) = 0 OR n = total - 1
                ORDER BY model, created_at, id
                """
            ).rows([model.map { .text($0) } ?? .null, .real(since), .real(until), .integer(Int64(max(points, 1)))]) { row in
                ReportPoint(
                    id: row.int64(0), model: row.string(1) ?? "", createdAt: row.double(2), status: row.string(3) ?? "",
                    driftedShare: row.isNull(4) ? nil : row.double(4))
            }
        }
    }

    /// The newest report of every model, without bodies, by model name.
    public func latestPoints() throws(SQLiteError) -> [String: ReportPoint] {
        let points = try database.read { connection throws(SQLiteError) in
            try connection.prepare(
                """
                SELECT id, model, created_at, status, drifted_share FROM drift_reports AS r
                WHERE id = (SELECT id FROM drift_reports WHERE model = r.model ORDER BY created_at DESC, id DESC LIMIT 1)
                """
            ).rows([]) { row in
                ReportPoint(
                    id: row.int64(0), model: row.string(1) ?? "", createdAt: row.double(2), status: row.string(3) ?? "",
                    driftedShare: row.isNull(4) ? nil : row.double(4))
            }
        }
        return Dictionary(points.map { ($0.model, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The per-column drift scores stored with report `id` (empty for reports stored before scores were).
    public func scores(id: Int64) throws(SQLiteError) -> [String: Double] {
        let blobs = try database.read { connection throws(SQLiteError) in
            try connection.prepare("SELECT scores FROM drift_reports WHERE id = ?").rows([.integer(id)]) { $0.isNull(0) ? [] : $0.blob(0) }
        }
        guard let blob = blobs.first, !blob.isEmpty else { return [:] }
        return (try? JSONDecoder().decode([String: Double].self, from: Data(blob))) ?? [:]
    }

    /// Deletes reports created before `cutoff`.
    public func deleteReports(before cutoff: Double) throws(SQLiteError) {
        try database.withConnection { connection throws(SQLiteError) in
            try connection.run("DELETE FROM drift_reports WHERE created_at < ?", .real(cutoff))
        }
    }

    private func query(_ clause: String, _ values: [SQLValue]) throws(SQLiteError) -> [StoredReport] {
        try database.read { connection throws(SQLiteError) in
            try connection.prepare("SELECT id, model, created_at, status, dataset_drift, body FROM drift_reports " + clause).rows(values) {
                row in
                StoredReport(
                    id: row.int64(0), model: row.string(1) ?? "", createdAt: row.double(2), status: row.string(3) ?? "",
                    datasetDrift: row.int64(4) != 0, body: row.blob(5))
            }
        }
    }
}
