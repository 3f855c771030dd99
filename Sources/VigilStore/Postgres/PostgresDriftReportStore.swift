import FoundationEssentials
import NIOCore
import PostgresNIO

/// Drift reports in PostgreSQL: written by the fleet's monitor, read by every replica.
public struct PostgresDriftReportStore: DriftReportStore {
    public let database: FleetDatabase

    public init(database: FleetDatabase) { self.database = database }

    @discardableResult
    public func insert(
        model: String, createdAt: Double, windowStart: Double, windowEnd: Double, status: String, datasetDrift: Bool,
        driftedShare: Double? = nil, scores: [String: Double] = [:], body: [UInt8]
    ) throws -> Int64 {
        let encodedScores = (try? JSONEncoder().encode(scores.filter { $0.value.isFinite })).map(Array.init) ?? []
        let binds = PostgresBindings(
            model,
            createdAt,
            windowStart,
            windowEnd,
            status,
            datasetDrift,
            driftedShare,
            ByteBuffer(bytes: encodedScores),
            ByteBuffer(bytes: body))
        return try database.write { session throws(StoreError) in
            try session.rows(
                """
                INSERT INTO drift_reports (model, created_at, window_start, window_end, status, dataset_drift, drifted_share, scores, body)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
                """, binds
            ).first.map { row throws(StoreError) in try row.value(Int64.self) } ?? 0
        }
    }

    public func latest(model: String) throws -> StoredReport? {
        let binds = PostgresBindings(model)
        return try query("WHERE model = $1 ORDER BY created_at DESC, id DESC LIMIT 1", binds).first
    }

    public func latest(model: String, since: Double, until: Double) throws -> StoredReport? {
        let binds = PostgresBindings(model, since, until)
        return try query("WHERE model = $1 AND created_at >= $2 AND created_at <= $3 ORDER BY created_at DESC, id DESC LIMIT 1", binds)
            .first
    }

    public func history(model: String, since: Double, until: Double, limit: Int = 1000) throws -> [StoredReport] {
        let binds = PostgresBindings(model, since, until, Int64(limit))
        return try query("WHERE model = $1 AND created_at >= $2 AND created_at <= $3 ORDER BY created_at, id LIMIT $4", binds)
    }

    public func series(model: String?, since: Double, until: Double, points: Int) throws -> [ReportPoint] {
        let binds = PostgresBindings(model, since, until, Int64(max(points, 1)))
        return try database.read { session throws(StoreError) in
            try session.rows(
                """
                SELECT id, model, created_at, status, drifted_share FROM (
                    SELECT id, model, created_at, status, drifted_share,
                           row_number() OVER (PARTITION BY model ORDER BY created_at, id) - 1 AS n,
                           count(*) OVER (PARTITION BY model) AS total
                    FROM drift_reports WHERE ($1::text IS NULL OR model = $1) AND created_at >= $2 AND created_at <= $3) AS numbered
                WHERE n % greatest(1, (total + $4 - 1) / $4) = 0 OR n = total - 1
                ORDER BY model, created_at, id
                """, binds
            ).map(Self.point)
        }
    }

    public func latestPoints() throws -> [String: ReportPoint] {
        let points = try database.read { session throws(StoreError) in
            try session.rows(
                """
                SELECT DISTINCT ON (model) id, model, created_at, status, drifted_share FROM drift_reports
                ORDER BY model, created_at DESC, id DESC
                """
            ).map(Self.point)
        }
        return Dictionary(points.map { ($0.model, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func scores(id: Int64) throws -> [String: Double] {
        let binds = PostgresBindings(id)
        let blobs = try database.read { session throws(StoreError) in
            try session.rows("SELECT scores FROM drift_reports WHERE id = $1", binds).map { row throws(StoreError) in
                try row.value(ByteBuffer?.self)
            }
        }
        guard let blob = blobs.first ?? nil, blob.readableBytes > 0 else { return [:] }
        return (try? JSONDecoder().decode([String: Double].self, from: Data(blob.readableBytesView))) ?? [:]
    }

    public func deleteReports(before cutoff: Double) throws {
        let binds = PostgresBindings(cutoff)
        try database.write { session throws(StoreError) in
            try session.run("DELETE FROM drift_reports WHERE created_at < $1", binds)
        }
    }

    private static func point(_ row: PostgresRow) throws(StoreError) -> ReportPoint {
        let (id, model, createdAt, status, share) = try row.columns((Int64, String, Double, String, Double?).self)
        return ReportPoint(id: id, model: model, createdAt: createdAt, status: status, driftedShare: share)
    }

    private func query(_ clause: String, _ binds: PostgresBindings) throws -> [StoredReport] {
        try database.read { session throws(StoreError) in
            try session.rows("SELECT id, model, created_at, status, dataset_drift, body FROM drift_reports " + clause, binds).map {
                row throws(StoreError) in
                let (id, model, createdAt, status, drifted, body) = try row.columns((Int64, String, Double, String, Bool, ByteBuffer).self)
                return StoredReport(
                    id: id, model: model, createdAt: createdAt, status: status, datasetDrift: drifted, body: Array(body.readableBytesView))
            }
        }
    }
}
