import PostgresNIO

/// Alerts and their transitions in PostgreSQL: written by the fleet's monitor, read by every replica.
public struct PostgresAlertStore: AlertStore {
    public let database: FleetDatabase

    public init(database: FleetDatabase) { self.database = database }

    private static let columns = "id, model, feature, state, consecutive, started_at, resolved_at, acknowledged_at, updated_at"

    private static func record(_ row: PostgresRow) throws(StoreError) -> AlertRecord {
        let (id, model, feature, state, consecutive, startedAt, resolvedAt, acknowledgedAt, updatedAt) = try row.columns(
            (Int64, String, String, String, Int32, Double?, Double?, Double?, Double).self)
        return AlertRecord(
            id: id, model: model, feature: feature, state: state, consecutive: Int(consecutive), startedAt: startedAt,
            resolvedAt: resolvedAt, acknowledgedAt: acknowledgedAt, updatedAt: updatedAt)
    }

    public func alerts(model: String?, state: String?) throws -> [AlertRecord] {
        let binds = PostgresBindings(model, state)
        return try database.read { session throws(StoreError) in
            try session.rows(
                "SELECT \(Self.columns) FROM alerts WHERE ($1::text IS NULL OR model = $1) AND ($2::text IS NULL OR state = $2) ORDER BY model, feature",
                binds
            ).map(Self.record)
        }
    }

    public func alert(id: Int64) throws -> AlertRecord? {
        let binds = PostgresBindings(id)
        return try database.read { session throws(StoreError) in
            try session.rows("SELECT \(Self.columns) FROM alerts WHERE id = $1", binds).map(Self.record).first
        }
    }

    @discardableResult
    public func save(_ record: AlertRecord, transition: AlertTransition?) throws -> Int64 {
        let binds = PostgresBindings(
            record.model,
            record.feature,
            record.state,
            Int32(clamping: record.consecutive),
            record.startedAt,
            record.resolvedAt,
            record.acknowledgedAt,
            record.updatedAt)
        return try database.transaction { session throws(StoreError) in
            let id: Int64 =
                try session.rows(
                    """
                    INSERT INTO alerts (model, feature, state, consecutive, started_at, resolved_at, acknowledged_at, updated_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                    ON CONFLICT (model, feature) DO UPDATE SET state = excluded.state, consecutive = excluded.consecutive,
                        started_at = excluded.started_at, resolved_at = excluded.resolved_at,
                        acknowledged_at = excluded.acknowledged_at, updated_at = excluded.updated_at
                    RETURNING id
                    """, binds
                ).first.map { row throws(StoreError) in try row.value(Int64.self) } ?? 0
            if let transition {
                let values = PostgresBindings(id, transition.from, transition.to, transition.at, transition.detail)
                try session.run(
                    "INSERT INTO alert_transitions (alert_id, from_state, to_state, at, detail) VALUES ($1, $2, $3, $4, $5)", values)
            }
            return id
        }
    }

    public func transitions(id: Int64) throws -> [AlertTransition] {
        let binds = PostgresBindings(id)
        return try database.read { session throws(StoreError) in
            try session.rows("SELECT from_state, to_state, at, detail FROM alert_transitions WHERE alert_id = $1 ORDER BY id", binds).map {
                row throws(StoreError) in
                let (from, to, at, detail) = try row.columns((String?, String, Double, String?).self)
                return AlertTransition(from: from, to: to, at: at, detail: detail ?? "")
            }
        }
    }

    public func acknowledge(id: Int64, at time: Double) throws -> Bool {
        let binds = PostgresBindings(time, id)
        return try database.write { session throws(StoreError) in
            try session.run("UPDATE alerts SET acknowledged_at = $1 WHERE id = $2", binds) > 0
        }
    }
}
