/// Where Vigil keeps what it monitors: a SQLite file (one server), or a PostgreSQL database that a
/// fleet of replicas shares. Each part is one of the protocols of `StoreContract.swift`.
public struct Store: Sendable {
    public enum Engine: String, Sendable {
        case sqlite
        case postgres
    }

    public let engine: Engine
    public let windows: any FeatureWindowStore
    public let profiles: any ReferenceProfileStore
    public let reports: any DriftReportStore
    public let alerts: any AlertStore
    public let outbox: any OutboxStore
    public let leadership: any MonitorLeadership
    /// Whether the store answered its last use: false while its file or server is away.
    public let isReachable: @Sendable () -> Bool

    public init(
        engine: Engine, windows: any FeatureWindowStore, profiles: any ReferenceProfileStore, reports: any DriftReportStore,
        alerts: any AlertStore, outbox: any OutboxStore, leadership: any MonitorLeadership, isReachable: @escaping @Sendable () -> Bool
    ) {
        self.engine = engine
        self.windows = windows
        self.profiles = profiles
        self.reports = reports
        self.alerts = alerts
        self.outbox = outbox
        self.leadership = leadership
        self.isReachable = isReachable
    }

    /// The stores of one SQLite file.
    public static func sqlite(_ database: Database) -> Store {
        Store(
            engine: .sqlite, windows: SQLiteFeatureWindowStore(database: database),
            profiles: SQLiteReferenceProfileStore(database: database),
            reports: SQLiteDriftReportStore(database: database), alerts: SQLiteAlertStore(database: database),
            outbox: SQLiteOutboxStore(database: database), leadership: SoleLeadership(), isReachable: { database.isOpen })
    }

    /// The stores of a PostgreSQL database shared by a fleet; this replica leads the monitor while it holds the advisory lock.
    public static func postgres(_ database: FleetDatabase) -> Store {
        Store(
            engine: .postgres, windows: PostgresFeatureWindowStore(database: database),
            profiles: PostgresReferenceProfileStore(database: database),
            reports: PostgresDriftReportStore(database: database), alerts: PostgresAlertStore(database: database),
            outbox: PostgresOutboxStore(database: database), leadership: AdvisoryLockLeadership(database: database),
            isReachable: { database.isReachable })
    }
}
