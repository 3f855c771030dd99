import NIOCore
import PostgresNIO

/// The notification outbox in PostgreSQL. Any replica may deliver: `claimDue` takes due items with
/// `SELECT … FOR UPDATE SKIP LOCKED` and leases them to this replica, so two replicas are never
/// handed the same item, and an item whose replica died is handed out again when its lease ends.
public struct PostgresOutboxStore: OutboxStore {
    public let database: FleetDatabase

    public init(database: FleetDatabase) { self.database = database }

    public func enqueue(receiver: String, contentType: String, payload: [UInt8], at time: Double, supersedes key: String? = nil) throws {
        try database.transaction { session throws(StoreError) in
            if let key {
                let binds = PostgresBindings(receiver, key, time)
                // Not an item being delivered right now: that one goes out, and this one after it.
                try session.run(
                    """
                    DELETE FROM outbox WHERE receiver = $1 AND supersedes = $2 AND delivered_at IS NULL AND (claimed_until IS NULL OR claimed_until < $3)
                    """, binds)
            }
            let binds = PostgresBindings(receiver, contentType, ByteBuffer(bytes: payload), time, key)
            try session.run(
                """
                INSERT INTO outbox (receiver, content_type, payload, created_at, next_attempt_at, supersedes) VALUES ($1, $2, $3, $4, $4, $5)
                """, binds)
        }
    }

    public func claimDue(at time: Double, limit: Int, lease: Double) throws -> [OutboxItem] {
        let binds = PostgresBindings(time, Int64(limit), database.replica, time + lease)
        return try database.write { session throws(StoreError) in
            try session.rows(
                """
                UPDATE outbox SET claimed_by = $3, claimed_until = $4
                WHERE id IN (
                    SELECT id FROM outbox
                    WHERE delivered_at IS NULL AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until < $1)
                    ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
                RETURNING id, receiver, content_type, payload, attempts
                """, binds
            ).map { row throws(StoreError) in
                let (id, receiver, contentType, payload, attempts) = try row.columns((Int64, String, String, ByteBuffer, Int32).self)
                return OutboxItem(
                    id: id, receiver: receiver, contentType: contentType, payload: Array(payload.readableBytesView), attempts: Int(attempts)
                )
            }
            .sorted { $0.id < $1.id }
        }
    }

    public func markDelivered(id: Int64, at time: Double) throws {
        let binds = PostgresBindings(time, id)
        try database.write { session throws(StoreError) in
            try session.run(
                "UPDATE outbox SET delivered_at = $1, attempts = attempts + 1, last_error = NULL, claimed_until = NULL WHERE id = $2", binds
            )
        }
    }

    public func reschedule(id: Int64, next: Double?, error: String) throws {
        // A given-up item keeps delivered_at NULL and waits at +infinity, visible with its last error.
        let binds = PostgresBindings(next ?? .greatestFiniteMagnitude, error, id)
        try database.write { session throws(StoreError) in
            try session.run(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2, claimed_until = NULL WHERE id = $3",
                binds)
        }
    }

    public func pendingCount() throws -> Int {
        try database.read { session throws(StoreError) in
            try session.rows("SELECT count(*) FROM outbox WHERE delivered_at IS NULL").first.map { row throws(StoreError) in
                Int(try row.value(Int64.self))
            } ?? 0
        }
    }
}
