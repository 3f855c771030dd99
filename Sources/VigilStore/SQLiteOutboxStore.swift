/// Notifications in SQLite until a receiver takes them, so they survive restarts.
public struct SQLiteOutboxStore: OutboxStore {
    public let database: Database

    public init(database: Database) { self.database = database }

    /// Queues `payload` for `receiver`. With a `supersedes` key, an undelivered item of the same receiver
    /// and key is replaced, so a receiver that takes the current state gets only the newest; an item
    /// claimed for delivery at `time` is not, and goes out before this one.
    public func enqueue(receiver: String, contentType: String, payload: [UInt8], at time: Double, supersedes key: String? = nil)
        throws(SQLiteError)
    {
        try database.transaction { connection throws(SQLiteError) in
            if let key {
                try connection.run(
                    """
                    DELETE FROM outbox WHERE receiver = ? AND supersedes = ? AND delivered_at IS NULL AND (claimed_until IS NULL OR claimed_until < ?)
                    """, .text(receiver), .text(key), .real(time))
            }
            try connection.run(
                "INSERT INTO outbox (receiver, content_type, payload, created_at, next_attempt_at, supersedes) VALUES (?, ?, ?, ?, ?, ?)",
                .text(receiver), .text(contentType), .blob(payload), .real(time), .real(time), key.map { .text($0) } ?? .null)
        }
    }

    /// Undelivered items whose next attempt is due at `time`, oldest first.
    public func due(at time: Double, limit: Int = 50) throws(SQLiteError) -> [OutboxItem] {
        try database.withConnection { connection throws(SQLiteError) in
            try connection.prepare(
                """
                SELECT id, receiver, content_type, payload, attempts FROM outbox
                WHERE delivered_at IS NULL AND next_attempt_at <= ? ORDER BY id LIMIT ?
                """
            ).rows([.real(time), .integer(Int64(limit))]) { row in
                OutboxItem(
                    id: row.int64(0), receiver: row.string(1) ?? "", contentType: row.string(2) ?? "", payload: row.blob(3),
                    attempts: Int(row.int64(4)))
            }
        }
    }

    /// Undelivered items due at `time` and not claimed, oldest first, claimed until `time + lease`.
    public func claimDue(at time: Double, limit: Int, lease: Double) throws(SQLiteError) -> [OutboxItem] {
        try database.transaction { connection throws(SQLiteError) in
            let items = try connection.prepare(
                """
                SELECT id, receiver, content_type, payload, attempts FROM outbox
                WHERE delivered_at IS NULL AND next_attempt_at <= ?1 AND (claimed_until IS NULL OR claimed_until < ?1) ORDER BY id LIMIT ?2
                """
            ).rows([.real(time), .integer(Int64(limit))]) { row in
                OutboxItem(
                    id: row.int64(0), receiver: row.string(1) ?? "", contentType: row.string(2) ?? "", payload: row.blob(3),
                    attempts: Int(row.int64(4)))
            }
            for item in items {
                try connection.run("UPDATE outbox SET claimed_until = ? WHERE id = ?", .real(time + lease), .integer(item.id))
            }
            return items
        }
    }

    public func markDelivered(id: Int64, at time: Double) throws(SQLiteError) {
        try database.withConnection { connection throws(SQLiteError) in
            try connection.run(
                "UPDATE outbox SET delivered_at = ?, attempts = attempts + 1, last_error = NULL, claimed_until = NULL WHERE id = ?",
                .real(time), .integer(id))
        }
    }

    /// Records a failed attempt and when to try again; `next` of nil gives up on the item.
    public func reschedule(id: Int64, next: Double?, error: String) throws(SQLiteError) {
        try database.withConnection { connection throws(SQLiteError) in
            // A given-up item keeps delivered_at NULL and waits at +infinity, visible with its last error.
            try connection.run(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, claimed_until = NULL WHERE id = ?",
                .real(next ?? .greatestFiniteMagnitude), .text(error), .integer(id))
        }
    }

    /// Items not yet delivered, for metrics and tests.
    public func pendingCount() throws(SQLiteError) -> Int {
        try database.withConnection { connection throws(SQLiteError) in
            Int(try connection.prepare("SELECT count(*) FROM outbox WHERE delivered_at IS NULL").rows { $0.int64(0) }.first ?? 0)
        }
    }
}
