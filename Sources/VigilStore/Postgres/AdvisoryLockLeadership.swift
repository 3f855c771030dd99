import PostgresNIO

/// The fleet's monitor leader: the replica whose leader connection holds PostgreSQL's session
/// advisory lock. When that replica dies, its session ends and the lock is free; the next replica
/// to ask (each asks once per drift interval) takes it.
public struct AdvisoryLockLeadership: MonitorLeadership {
    let database: FleetDatabase

    public init(database: FleetDatabase) { self.database = database }

    public func holdsLead() -> Bool {
        do {
            return try database.leader.use { session throws(StoreError) in
                // pg_try_advisory_lock stacks: a holder asking again would take the lock a second time,
                // so the holder checks pg_locks for its own session first.
                let held: Int64 =
                    try session.rows(
                        """
                        SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
                            AND ((classid::bigint << 32) | objid::bigint) = $1
                        """, Self.key
                    ).first.map { row throws(StoreError) in try row.value(Int64.self) } ?? 0
                if held > 0 { return true }
                return try session.rows("SELECT pg_try_advisory_lock($1)", Self.key).first.map { row throws(StoreError) in
                    try row.value(Bool.self)
                } ?? false
            }
        } catch {
            return false
        }
    }

    private static var key: PostgresBindings {
        let binds = PostgresBindings(FleetSchema.monitorLock)
        return binds
    }
}
