import Foundation

/// A stored drift report: its metadata and the report itself as JSON.
public struct StoredReport: Sendable, Equatable {
    public var id: Int64
    public var model: String
    public var createdAt: Double
    public var status: String
    public var datasetDrift: Bool
    public var body: [UInt8]
}

/// Drift reports in SQLite, for the API and history charts.
public struct DriftReportStore: Sendable {
    public let database: Database

    public init(database: Database) { self.database = database }

    @discardableResult
    public func insert(model: String, createdAt: Double, windowStart: Double, windowEnd: Double, status: String, datasetDrift: Bool, body: [UInt8]) throws(SQLiteError) -> Int64 {
        try database.withConnection { connection throws(SQLiteError) in
            try connection.run(
                "INSERT INTO drift_reports (model, created_at, window_start, window_end, status, dataset_drift, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
                .text(model), .real(createdAt), .real(windowStart), .real(windowEnd), .text(status), .integer(datasetDrift ? 1 : 0), .blob(body))
            return try connection.prepare("SELECT last_insert_rowid()").rows { $0.int64(0) }.first ?? 0
        }
    }

    public func latest(model: String) throws(SQLiteError) -> StoredReport? {
        try query("WHERE model = ? ORDER BY created_at DESC, id DESC LIMIT 1", [.text(model)]).first
    }

    /// Reports of `model` created in `[since, until]`, oldest first, at most `limit`.
    public func history(model: String, since: Double, until: Double, limit: Int = 1000) throws(SQLiteError) -> [StoredReport] {
        try query("WHERE model = ? AND created_at >= ? AND created_at <= ? ORDER BY created_at, id LIMIT ?",
                  [.text(model), .real(since), .real(until), .integer(Int64(limit))])
    }

    /// Deletes reports created before `cutoff`.
    public func deleteReports(before cutoff: Double) throws(SQLiteError) {
        try database.withConnection { connection throws(SQLiteError) in
            try connection.run("DELETE FROM drift_reports WHERE created_at < ?", .real(cutoff))
        }
    }

    private func query(_ clause: String, _ values: [SQLValue]) throws(SQLiteError) -> [StoredReport] {
        try database.withConnection { connection throws(SQLiteError) in
            try connection.prepare("SELECT id, model, created_at, status, dataset_drift, body FROM drift_reports " + clause).rows(values) { row in
                StoredReport(id: row.int64(0), model: row.string(1) ?? "", createdAt: row.double(2), status: row.string(3) ?? "",
                             datasetDrift: row.int64(4) != 0, body: row.blob(5))
            }
        }
    }
}
