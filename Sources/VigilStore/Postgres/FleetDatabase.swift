import Dispatch
import Logging
import NIOCore
public import PostgresNIO
import Synchronization

/// A PostgreSQL database shared by a fleet of Vigil replicas, reached over three connections, each
/// used by one thread at a time behind its own lock: one for writes (and migrations), one for
/// reads, and one that holds the monitor's advisory lock for as long as this replica leads.
///
/// Calls block the calling thread, which must not be an event loop: the stores run on the feature
/// log's, the monitor's, the outbox's and the read queue's own dispatch queues. A lost connection
/// is dropped and opened again on the next use; while the server stays away, attempts back off
/// from 250 ms to 8 s, and each use in between fails at once with `.unreachable`.
public final class FleetDatabase: Sendable {
    public let address: FleetAddress
    /// The replica this process writes its windows under.
    public let replica: String
    let writer: FleetConnection
    let reader: FleetConnection
    let leader: FleetConnection

    /// Connects to `address` and applies the schema migrations; throws when the server cannot be
    /// reached or refuses, so a server started with a wrong `--store` stops with the reason.
    public convenience init(
        address: FleetAddress, replica: String, timeout: Duration = .seconds(5),
        logger: Logger = Logger(label: "vigil.store")
    ) throws(StoreError) {
        self.init(connectingLater: address, replica: replica, timeout: timeout, logger: logger)
        try writer.use { _ throws(StoreError) in }
    }

    /// The database at `address`, connected on first use.
    public init(
        connectingLater address: FleetAddress, replica: String, timeout: Duration = .seconds(5),
        logger: Logger = Logger(label: "vigil.store")
    ) {
        self.address = address
        self.replica = replica
        var configuration = PostgresConnection.Configuration(
            host: address.host, port: address.port, username: address.username,
            password: address.password, database: address.database, tls: .disable)
        configuration.options.connectTimeout = .nanoseconds(
            Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        writer = FleetConnection(role: "writer", address: address, configuration: configuration, timeout: timeout, logger: logger) {
            session throws(StoreError) in
            try FleetSchema.apply(FleetSchema.migrations, on: session)
        }
        reader = FleetConnection(role: "reader", address: address, configuration: configuration, timeout: timeout, logger: logger) {
            _ throws(StoreError) in
        }
        leader = FleetConnection(role: "leader", address: address, configuration: configuration, timeout: timeout, logger: logger) {
            _ throws(StoreError) in
        }
    }

    /// Whether the writing connection is open.
    public var isReachable: Bool { writer.isOpen }

    /// Runs `body` with exclusive use of the writing connection.
    func write<T>(_ body: (FleetSession) throws(StoreError) -> T) throws(StoreError) -> T {
        try writer.use(body)
    }

    /// Runs `body` with exclusive use of the reading connection.
    func read<T>(_ body: (FleetSession) throws(StoreError) -> T) throws(StoreError) -> T {
        try reader.use(body)
    }

    /// Runs `body` in one transaction on the writing connection: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: (FleetSession) throws(StoreError) -> T) throws(StoreError) -> T {
        try writer.use { session throws(StoreError) in
            try session.run("BEGIN")
            do throws(StoreError) {
                let result = try body(session)
                try session.run("COMMIT")
                return result
            } catch {
                try? session.run("ROLLBACK")
                throw error
            }
        }
    }

    /// Closes every connection (ending this replica's lead, if it had it).
    public func close() {
        writer.close()
        reader.close()
        leader.close()
    }
}

/// One connection of a `FleetDatabase`: opened on first use, dropped when it fails, opened again
/// after a backoff.
final class FleetConnection: @unchecked Sendable {
    let role: String
    let address: FleetAddress
    private let configuration: PostgresConnection.Configuration
    let timeout: Duration
    private let logger: Logger
    private let prepare: (FleetSession) throws(StoreError) -> Void
    // Unchecked: reached only with `lock` held.
    private let lock = ThreadLock()
    private var connection: PostgresConnection?
    private var retryAt: ContinuousClock.Instant?
    private var backoff = FleetConnection.firstBackoff
    private let open = Atomic<Bool>(false)
    private static let firstBackoff = Duration.milliseconds(250)
    private static let longestBackoff = Duration.seconds(8)
    private static let nextID = Atomic<Int>(1)

    init(
        role: String, address: FleetAddress, configuration: PostgresConnection.Configuration, timeout: Duration, logger: Logger,
        prepare: @escaping (FleetSession) throws(StoreError) -> Void
    ) {
        self.role = role
        self.address = address
        self.configuration = configuration
        self.timeout = timeout
        self.logger = logger
        self.prepare = prepare
    }

    deinit {
        // A connection must be closed before it is released: this one is held until its close completes.
        guard let connection, !connection.isClosed else { return }
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    var isOpen: Bool { open.load(ordering: .relaxed) }

    /// Runs `body` on the connection, opening it first if needed. A failure that leaves the
    /// connection closed, or a timeout, drops it so the next use opens a new one.
    func use<T>(_ body: (FleetSession) throws(StoreError) -> T) throws(StoreError) -> T {
        lock.lock()
        defer { lock.unlock() }
        let session = FleetSession(connection: try connected(), timeout: timeout)
        do {
            return try body(session)
        } catch {
            if error.kind != .rejected || session.connection.isClosed { drop() }
            throw error
        }
    }

    /// Closes the connection; the next use opens a new one.
    func close() {
        lock.lock()
        defer { lock.unlock() }
        drop()
        retryAt = nil
    }

    /// Call with `lock` held.
    private func drop() {
        if let connection { FleetSession.close(connection) }
        connection = nil
        open.store(false, ordering: .relaxed)
    }

    /// The open connection, or a new one. Call with `lock` held.
    private func connected() throws(StoreError) -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        drop()
        if let retryAt, ContinuousClock.now < retryAt {
            throw StoreError(
                .unreachable,
                "PostgreSQL at \(address) is unreachable; the \(role) connection tries again in \(retryAt - ContinuousClock.now)")
        }
        do throws(StoreError) {
            let future = PostgresConnection.connect(
                on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration,
                id: Self.nextID.add(1, ordering: .relaxed).oldValue, logger: logger)
            let opened = try FleetSession.wait(future, timeout: timeout, what: "connecting to PostgreSQL at \(address)")
            let session = FleetSession(connection: opened, timeout: timeout)
            do throws(StoreError) {
                try prepare(session)
            } catch {
                FleetSession.close(opened)
                throw error
            }
            connection = opened
            retryAt = nil
            backoff = Self.firstBackoff
            open.store(true, ordering: .relaxed)
            return opened
        } catch {
            retryAt = ContinuousClock.now + backoff
            backoff = min(backoff * 2, Self.longestBackoff)
            if error.kind == .rejected { throw error }
            throw StoreError(.unreachable, "cannot reach PostgreSQL at \(address): \(error.message)")
        }
    }
}

/// Queries on one open connection, each waited for up to `timeout`.
struct FleetSession {
    let connection: PostgresConnection
    let timeout: Duration

    /// The rows `sql` returns, with `binds` for `$1`, `$2`, ….
    func rows(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws(StoreError) -> [PostgresRow] {
        try result(sql, binds).rows
    }

    /// Runs `sql`; returns the rows it changed.
    @discardableResult
    func run(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws(StoreError) -> Int {
        try result(sql, binds).metadata.rows ?? 0
    }

    private func result(_ sql: String, _ binds: PostgresBindings) throws(StoreError) -> PostgresQueryResult {
        let future: EventLoopFuture<PostgresQueryResult> = connection.query(
            PostgresQuery(unsafeSQL: sql, binds: binds), logger: connection.logger)
        do throws(StoreError) {
            return try Self.wait(future, timeout: timeout, what: "`\(sql.prefix(80))`")
        } catch  where error.kind == .timeout {
            // The query may still run; a connection that is mid-query cannot take the next one.
            Self.close(connection)
            throw error
        }
    }

    /// Closes `connection` and waits (briefly) until it is closed: a connection must be closed before it is released.
    static func close(_ connection: PostgresConnection) {
        guard !connection.isClosed else { return }
        _ = try? wait(connection.close(), timeout: .seconds(2), what: "closing the connection")
    }

    /// Blocks the calling thread (never an event loop) until `future` completes, for up to `timeout`.
    static func wait<T: Sendable>(_ future: EventLoopFuture<T>, timeout: Duration, what: String) throws(StoreError) -> T {
        let done = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<T, any Error>?>(nil)
        future.whenComplete { result in
            outcome.withLock { $0 = result }
            done.signal()
        }
        let nanoseconds = Int(timeout.components.seconds) * 1_000_000_000 + Int(timeout.components.attoseconds / 1_000_000_000)
        guard done.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .success, let result = outcome.withLock({ $0 }) else {
            throw StoreError(.timeout, "PostgreSQL did not answer \(what) within \(timeout)")
        }
        switch result {
        case .success(let value):
            return value
        case .failure(let error as PSQLError) where error.code == .server:
            let message = error.serverInfo?[.message] ?? "\(error)"
            let code = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            throw StoreError(.rejected, "PostgreSQL refused \(what): \(message)\(code)")
        case .failure(let error as PSQLError):
            throw StoreError(
                .unreachable, "PostgreSQL connection failed during \(what): \(error.code)\(error.underlying.map { ": \($0)" } ?? "")")
        case .failure(let error):
            throw StoreError(.unreachable, "PostgreSQL connection failed during \(what): \(error)")
        }
    }
}
