/// Alerts and their transitions in SQLite.
public struct SQLiteAlertStore: AlertStore {
    public let database: Database

    public init(database: Database) { self.database = database }

    private static let columns = "id, model, feature, state, consecutive, started_at, resolved_at, acknowledged_at, updated_at"

    private static func record(_ row: Statement) -> AlertRecord {
        AlertRecord(
            id: row.int64(0), model: row.string(1) ?? "", feature: row.string(2) ?? "", state: row.string(3) ?? "",
            consecutive: Int(row.int64(4)), startedAt: row.isNull(5) ? nil : row.double(5),
            resolvedAt: row.isNull(6) ? nil : row.double(6), acknowledgedAt: row.isNull(7) ? nil : row.double(7),
            updatedAt: row.double(8))
    }

    /// Every alert of `model` (all models when nil), optionally only those in `state`.
    public func alerts(model: String? = nil, state: String? = nil) throws(SQLiteError) -> [AlertRecord] {
        try database.read { connection throws(SQLiteError) in
            try connection.prepare(
                "SELECT \(Self.columns) FROM alerts WHERE (?1 IS NULL OR model = ?1) AND (?2 IS NULL OR state = ?2) ORDER BY model, feature"
            )
            .rows([model.map { .text($0) } ?? .null, state.map { .text($0) } ?? .null], Self.record)
        }
    }

    public func alert(id: Int64) throws(SQLiteError) -> AlertRecord? {
        try database.read { connection throws(SQLiteError) in
            try connection.prepare("SELECT \(Self.columns) FROM alerts WHERE id = ?").rows([.integer(id)], Self.record).first
        }
    }

    /// Saves `record` (inserting it the first time) and its transition, if any, in one transaction; returns the id.
    @discardableResult
    public func save(_ record: AlertRecord, transition: AlertTransition?) throws(SQLiteError) -> Int64 {
        try database.transaction { connection throws(SQLiteError) in
            func optional(_ value: Double?) -> SQLValue { value.map { .real($0) } ?? .null }
            try connection.run(
                """
                INSERT INTO alerts (model, feature, state, consecutive, started_at, resolved_at, acknowledged_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (model, feature) DO UPDATE SET state = excluded.state, consecutive = excluded.consecutive,
                    started_at = excluded.started_at, resolved_at = excluded.resolved_at,
                    acknowledged_at = excluded.acknowledged_at, updated_at = excluded.updated_at
                """, .text(record.model), .text(record.feature), .text(record.state), .integer(Int64(record.consecutive)),
                optional(record.startedAt), optional(record.resolvedAt), optional(record.acknowledgedAt), .real(record.updatedAt))
            let id =
                try connection.prepare("SELECT id FROM alerts WHERE model = ? AND feature = ?")
                .rows([.text(record.model), .text(record.feature)]) { $0.int64(0) }.first ?? 0
            if let transition {
                try connection.run(
                    "INSERT INTO alert_transitions (alert_id, from_state, to_state, at, detail) VALUES (?, ?, ?, ?, ?)",
                    .integer(id), transition.from.map { .text($0) } ?? .null, .text(transition.to), .real(transition.at),
                    .text(transition.detail))
            }
            return id
        }
    }

    /// The transitions of alert `id`, oldest first.
    public func transitions(id: Int64) throws(SQLiteError) -> [AlertTransition] {
        try database.read { connection throws(SQLiteError) in
            try connection.prepare("SELECT from_state, to_state, at, detail FROM alert_transitions WHERE alert_id = ? ORDER BY id")
                .rows([.integer(id)]) { row in
                    AlertTransition(from: row.string(0), to: row.string(1) ?? "", at: row.double(2), detail: row.string(3) ?? "")
                }
        }
    }

    /// Marks alert `id` acknowledged; false when there is no such alert.
    public func acknowledge(id: Int64, at time: Double) throws(SQLiteError) -> Bool {
        try database.withConnection { connection throws(SQLiteError) in
            try connection.run("UPDATE alerts SET acknowledged_at = ? WHERE id = ?", .real(time), .integer(id))
            return connection.changes > 0
        }
    }
}
