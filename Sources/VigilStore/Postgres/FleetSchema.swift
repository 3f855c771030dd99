import PostgresNIO

/// Vigil's PostgreSQL schema, as migrations: SQLite's tables (`Schema`), with windows kept per
/// replica so each replica adds only to its own rows and reads sum over all of them, and outbox
/// items claimable by any replica.
enum FleetSchema {
    /// The transaction-scoped advisory lock replicas that start together apply migrations under.
    static let migrationLock: Int64 = 0x5649_4749_4C_00_01
    /// The session-scoped advisory lock the drift monitor's leader holds.
    static let monitorLock: Int64 = 0x5649_4749_4C_00_02

    static let migrations: [Migration] = [
        Migration(
            version: 1,
            sql: """
                CREATE TABLE reference_profiles (
                    fingerprint TEXT PRIMARY KEY,
                    model TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    created_at DOUBLE PRECISION NOT NULL,
                    row_count BIGINT NOT NULL,
                    body BYTEA NOT NULL
                );
                CREATE INDEX reference_profiles_model ON reference_profiles(model, created_at);
                CREATE TABLE feature_windows (
                    model TEXT NOT NULL,
                    window_start BIGINT NOT NULL,
                    role TEXT NOT NULL,
                    feature TEXT NOT NULL,
                    replica TEXT NOT NULL,
                    profile TEXT NOT NULL,
                    count BIGINT NOT NULL,
                    missing BIGINT NOT NULL,
                    minimum DOUBLE PRECISION,
                    maximum DOUBLE PRECISION,
                    sum DOUBLE PRECISION NOT NULL,
                    sum_squares DOUBLE PRECISION NOT NULL,
                    PRIMARY KEY (model, window_start, role, feature, replica)
                );
                CREATE TABLE window_bins (
                    model TEXT NOT NULL,
                    window_start BIGINT NOT NULL,
                    role TEXT NOT NULL,
                    feature TEXT NOT NULL,
                    replica TEXT NOT NULL,
                    slot INTEGER NOT NULL,
                    count BIGINT NOT NULL,
                    PRIMARY KEY (model, window_start, role, feature, replica, slot)
                );
                CREATE TABLE window_categories (
                    model TEXT NOT NULL,
                    window_start BIGINT NOT NULL,
                    role TEXT NOT NULL,
                    feature TEXT NOT NULL,
                    replica TEXT NOT NULL,
                    category TEXT NOT NULL,
                    count BIGINT NOT NULL,
                    PRIMARY KEY (model, window_start, role, feature, replica, category)
                );
                CREATE TABLE window_samples (
                    model TEXT NOT NULL,
                    window_start BIGINT NOT NULL,
                    role TEXT NOT NULL,
                    feature TEXT NOT NULL,
                    replica TEXT NOT NULL,
                    seen BIGINT NOT NULL,
                    capacity INTEGER NOT NULL,
                    sample BYTEA NOT NULL,
                    PRIMARY KEY (model, window_start, role, feature, replica)
                );
                CREATE TABLE payload_samples (
                    id BIGSERIAL PRIMARY KEY,
                    model TEXT NOT NULL,
                    received_at DOUBLE PRECISION NOT NULL,
                    features TEXT NOT NULL,
                    outputs TEXT NOT NULL
                );
                CREATE INDEX payload_samples_time ON payload_samples(received_at);
                CREATE TABLE drift_reports (
                    id BIGSERIAL PRIMARY KEY,
                    model TEXT NOT NULL,
                    created_at DOUBLE PRECISION NOT NULL,
                    window_start DOUBLE PRECISION NOT NULL,
                    window_end DOUBLE PRECISION NOT NULL,
                    status TEXT NOT NULL,
                    dataset_drift BOOLEAN NOT NULL,
                    drifted_share DOUBLE PRECISION,
                    scores BYTEA,
                    body BYTEA NOT NULL
                );
                CREATE INDEX drift_reports_model_time ON drift_reports(model, created_at);
                CREATE TABLE alerts (
                    id BIGSERIAL PRIMARY KEY,
                    model TEXT NOT NULL,
                    feature TEXT NOT NULL,
                    state TEXT NOT NULL,
                    consecutive INTEGER NOT NULL DEFAULT 0,
                    started_at DOUBLE PRECISION,
                    resolved_at DOUBLE PRECISION,
                    acknowledged_at DOUBLE PRECISION,
                    updated_at DOUBLE PRECISION NOT NULL,
                    UNIQUE (model, feature)
                );
                CREATE TABLE alert_transitions (
                    id BIGSERIAL PRIMARY KEY,
                    alert_id BIGINT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
                    from_state TEXT,
                    to_state TEXT NOT NULL,
                    at DOUBLE PRECISION NOT NULL,
                    detail TEXT
                );
                CREATE TABLE outbox (
                    id BIGSERIAL PRIMARY KEY,
                    receiver TEXT NOT NULL,
                    content_type TEXT NOT NULL,
                    payload BYTEA NOT NULL,
                    created_at DOUBLE PRECISION NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at DOUBLE PRECISION NOT NULL,
                    delivered_at DOUBLE PRECISION,
                    last_error TEXT,
                    supersedes TEXT,
                    claimed_by TEXT,
                    claimed_until DOUBLE PRECISION
                );
                CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE delivered_at IS NULL;
                CREATE INDEX outbox_supersedes ON outbox(receiver, supersedes) WHERE delivered_at IS NULL
                """)
    ]

    /// Applies every migration newer than the database's, in one transaction, under an advisory lock
    /// so replicas that start together apply each once.
    static func apply(_ migrations: [Migration], on session: FleetSession) throws(StoreError) {
        try session.run("BEGIN")
        do throws(StoreError) {
            try session.run("SELECT pg_advisory_xact_lock(\(migrationLock))")
            try session.run("CREATE TABLE IF NOT EXISTS vigil_schema (version INTEGER NOT NULL)")
            let current: Int64 =
                try session.rows("SELECT coalesce(max(version), 0)::bigint FROM vigil_schema").first.map { row throws(StoreError) in
                    try row.value(Int64.self)
                } ?? 0
            let newest = Int64(migrations.map(\.version).max() ?? 0)
            guard current <= newest else {
                throw StoreError(
                    .rejected, "the database schema is version \(current), newer than this build knows (\(newest)); use a newer vigil")
            }
            for migration in migrations.sorted(by: { $0.version < $1.version }) where Int64(migration.version) > current {
                for statement in migration.sql.split(separator: ";\n") where !statement.allSatisfy(\.isWhitespace) {
                    try session.run(String(statement))
                }
                let binds = PostgresBindings(Int64(migration.version))
                try session.run("INSERT INTO vigil_schema (version) VALUES ($1)", binds)
            }
            try session.run("COMMIT")
        } catch {
            try? session.run("ROLLBACK")
            throw error
        }
    }
}

extension PostgresRow {
    /// Decodes a one-column row as `Column`, as a store error when the column does not have the expected type.
    func value<Column: PostgresDecodable>(_ column: Column.Type) throws(StoreError) -> Column {
        do {
            return try decode(column, context: .default)
        } catch {
            throw StoreError(.rejected, "a stored row does not have the expected column: \(error)")
        }
    }

    /// Decodes the row as `Columns`, as a store error when a column does not have the expected type.
    func columns<each Column: PostgresDecodable>(_ columns: (repeat each Column).Type) throws(StoreError) -> (repeat each Column) {
        do {
            return try decode(columns, context: .default)
        } catch {
            throw StoreError(.rejected, "a stored row does not have the expected columns: \(error)")
        }
    }
}
