/// Vigil's SQLite schema, as migrations.
///
/// Windows are plain counts keyed by (model, window start, role, feature), so windows from many
/// replicas add up (SPEC §11). `role` is `input` for features and `output` for model outputs.
public enum Schema {
    public static let migrations: [Migration] = [
        Migration(
            version: 1,
            sql: """
                CREATE TABLE reference_profiles (
                    fingerprint TEXT PRIMARY KEY,
                    model TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    created_at REAL NOT NULL,
                    row_count INTEGER NOT NULL,
                    body BLOB NOT NULL
                );
                CREATE INDEX reference_profiles_model ON reference_profiles(model, created_at);

                CREATE TABLE feature_windows (
                    model TEXT NOT NULL,
                    window_start INTEGER NOT NULL,
                    role TEXT NOT NULL,
                    feature TEXT NOT NULL,
                    profile TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    missing INTEGER NOT NULL,
                    minimum REAL,
                    maximum REAL,
                    sum REAL NOT NULL,
                    sum_squares REAL NOT NULL,
                    PRIMARY KEY (model, window_start, role, feature)
                ) WITHOUT ROWID;
                CREATE TABLE window_bins (
                    model TEXT NOT NULL,
                    window_start INTEGER NOT NULL,
                    role TEXT NOT NULL,
                    feature TEXT NOT NULL,
                    slot INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (model, window_start, role, feature, slot)
                ) WITHOUT ROWID;
                CREATE TABLE window_categories (
                    model TEXT NOT NULL,
                    window_start INTEGER NOT NULL,
                    role TEXT NOT NULL,
                    feature TEXT NOT NULL,
                    category TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (model, window_start, role, feature, category)
                ) WITHOUT ROWID;
                CREATE TABLE window_samples (
                    model TEXT NOT NULL,
                    window_start INTEGER NOT NULL,
                    role TEXT NOT NULL,
                    feature TEXT NOT NULL,
                    seen INTEGER NOT NULL,
                    capacity INTEGER NOT NULL,
                    sample BLOB NOT NULL,
                    PRIMARY KEY (model, window_start, role, feature)
                ) WITHOUT ROWID;
                CREATE TABLE payload_samples (
                    id INTEGER PRIMARY KEY,
                    model TEXT NOT NULL,
                    received_at REAL NOT NULL,
                    features TEXT NOT NULL,
                    outputs TEXT NOT NULL
                );
                CREATE INDEX payload_samples_time ON payload_samples(received_at);

                CREATE TABLE drift_reports (
                    id INTEGER PRIMARY KEY,
                    model TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    window_start REAL NOT NULL,
                    window_end REAL NOT NULL,
                    status TEXT NOT NULL,
                    dataset_drift INTEGER NOT NULL,
                    body BLOB NOT NULL
                );
                CREATE INDEX drift_reports_model_time ON drift_reports(model, created_at);

                CREATE TABLE alerts (
                    id INTEGER PRIMARY KEY,
                    model TEXT NOT NULL,
                    feature TEXT NOT NULL,
                    state TEXT NOT NULL,
                    consecutive INTEGER NOT NULL DEFAULT 0,
                    started_at REAL,
                    resolved_at REAL,
                    acknowledged_at REAL,
                    updated_at REAL NOT NULL,
                    UNIQUE (model, feature)
                );
                CREATE TABLE alert_transitions (
                    id INTEGER PRIMARY KEY,
                    alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
                    from_state TEXT,
                    to_state TEXT NOT NULL,
                    at REAL NOT NULL,
                    detail TEXT
                );

                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY,
                    receiver TEXT NOT NULL,
                    content_type TEXT NOT NULL,
                    payload BLOB NOT NULL,
                    created_at REAL NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at REAL NOT NULL,
                    delivered_at REAL,
                    last_error TEXT
                );
                CREATE INDEX outbox_pending ON outbox(delivered_at, next_attempt_at);
                """),
        // What the dashboard charts without decoding whole reports: the dataset's drifted share,
        // and each column's drift score (JSON object, alert key to Jensen–Shannon distance).
        Migration(
            version: 2,
            sql: """
                ALTER TABLE drift_reports ADD COLUMN drifted_share REAL;
                ALTER TABLE drift_reports ADD COLUMN scores BLOB;
                """),
        // Level-based receivers (Alertmanager's API) get the current state on every run: an item with
        // a `supersedes` key replaces the undelivered item with the same receiver and key.
        Migration(
            version: 3,
            sql: """
                ALTER TABLE outbox ADD COLUMN supersedes TEXT;
                CREATE INDEX outbox_supersedes ON outbox(receiver, supersedes) WHERE delivered_at IS NULL;
                """),
        // Items claimed for delivery (`OutboxStore.claimDue`) until this time, as in a fleet's PostgreSQL store.
        Migration(
            version: 4,
            sql: """
                ALTER TABLE outbox ADD COLUMN claimed_until REAL;
                """),
    ]
}
