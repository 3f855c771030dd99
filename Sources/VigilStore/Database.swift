import CSQLite
public import FoundationEssentials
import Synchronization

/// A SQLite file with two connections, each used by one thread at a time behind its own lock:
/// one for writes and one for reads, so a reader never queues behind a writer's transaction
/// (WAL lets them run side by side).
///
/// Opened in WAL mode with a busy timeout, `synchronous=NORMAL` (a crash loses at most the last
/// transactions, never integrity) and foreign keys on. Every statement is prepared once per SQL text.
/// The reader has a busy timeout of its own, so a file locked by another process answers a read
/// with `SQLITE_BUSY` within that bound instead of holding the caller for the writer's timeout.
public final class Database: @unchecked Sendable {
    public let path: String
    private let busyTimeout: Duration
    private let readTimeout: Duration
    private let migrations: [Migration]
    // Unchecked: each connection is only ever reached inside its lock.
    private var connection: Connection?
    private let lock = ThreadLock()
    private var reader: Connection?
    private let readerLock = ThreadLock()
    private let writerOpen = Atomic<Bool>(false)

    /// Opens (creating if needed) the database at `path` and applies the schema migrations.
    public convenience init(
        path: String, busyTimeout: Duration = .seconds(5), readTimeout: Duration = .seconds(2),
        migrations: [Migration] = Schema.migrations
    ) throws(SQLiteError) {
        self.init(openingLater: path, busyTimeout: busyTimeout, readTimeout: readTimeout, migrations: migrations)
        _ = try withConnection { _ in }
        _ = try read { _ in }
    }

    /// The database at `path`, opened on first use; a use that cannot open it (a read-only or full
    /// disk, a missing folder) throws, and the next use tries again. So a server can start, and
    /// serve, while its database is away, and pick it up when it comes back.
    public init(
        openingLater path: String, busyTimeout: Duration = .seconds(5), readTimeout: Duration = .seconds(2),
        migrations: [Migration] = Schema.migrations
    ) {
        self.path = path
        self.busyTimeout = busyTimeout
        self.readTimeout = readTimeout
        self.migrations = migrations
    }

    /// Whether the writing connection is open (and the schema applied). Takes no lock, so a scrape
    /// never waits behind a write.
    public var isOpen: Bool { writerOpen.load(ordering: .relaxed) }

    private static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        return Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    /// The writing connection, opened and migrated on first use. Call with `lock` held.
    private func openWriter() throws(SQLiteError) -> Connection {
        if let connection { return connection }
        let writer = try Connection(path: path)
        sqlite3_busy_timeout(writer.handle, Self.milliseconds(busyTimeout))
        try writer.execute("PRAGMA journal_mode=WAL")
        try writer.execute("PRAGMA synchronous=NORMAL")
        try writer.execute("PRAGMA foreign_keys=ON")
        try Migration.apply(migrations, on: writer)
        connection = writer
        writerOpen.store(true, ordering: .relaxed)
        return writer
    }

    /// The reading connection, opened on first use once the writer has applied the schema. Call with `readerLock` held.
    private func openReader() throws(SQLiteError) -> Connection {
        if let reader { return reader }
        _ = try withConnection { _ in }
        let opened = try Connection(path: path)
        sqlite3_busy_timeout(opened.handle, Self.milliseconds(readTimeout))
        try opened.execute("PRAGMA query_only=ON")
        reader = opened
        return opened
    }

    /// Runs `body` with exclusive use of the writing connection.
    public func withConnection<T>(_ body: (Connection) throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(try openWriter())
    }

    /// Runs `body` with exclusive use of the reading connection (`query_only`): for queries, never writes.
    public func read<T>(_ body: (Connection) throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        readerLock.lock()
        defer { readerLock.unlock() }
        return try body(try openReader())
    }

    /// Runs `body` in one immediate transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: (Connection) throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        try withConnection { connection throws(SQLiteError) in
            try connection.execute("BEGIN IMMEDIATE")
            do throws(SQLiteError) {
                let result = try body(connection)
                try connection.execute("COMMIT")
                return result
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// `PRAGMA integrity_check`: "ok" for a sound file.
    public func integrityCheck() throws(SQLiteError) -> String {
        try withConnection { connection throws(SQLiteError) in
            let statement = try connection.prepare("PRAGMA integrity_check")
            defer { statement.reset() }
            return try statement.step() ? statement.string(0) ?? "" : ""
        }
    }
}

/// The raw connection; reach it only through `Database.withConnection` or `transaction`.
public final class Connection {
    let handle: OpaquePointer
    private var statements: [String: Statement] = [:]

    init(path: String) throws(SQLiteError) {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let handle { sqlite3_close_v2(handle) }
            throw SQLiteError(code: status, message: "\(message) (\(path))")
        }
        sqlite3_extended_result_codes(handle, 1)
        self.handle = handle
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs SQL that returns no rows (one or more statements, no parameters).
    public func execute(_ sql: String) throws(SQLiteError) {
        var error: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &error)
        if status != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(error)
            throw SQLiteError(code: status, message: message, sql: sql)
        }
    }

    /// The prepared statement for `sql`, prepared on first use and reused after.
    public func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        if let statement = statements[sql] { return statement }
        var pointer: OpaquePointer?
        let status = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &pointer, nil)
        guard status == SQLITE_OK, let pointer else {
            throw SQLiteError(code: status, message: lastMessage, sql: sql)
        }
        let statement = Statement(pointer: pointer, sql: sql, connection: self)
        statements[sql] = statement
        return statement
    }

    /// Binds `values` to `sql`, steps it to completion and resets it.
    public func run(_ sql: String, _ values: SQLValue...) throws(SQLiteError) {
        let statement = try prepare(sql)
        defer { statement.reset() }
        try statement.bind(values)
        while try statement.step() {}
    }

    /// Rows changed by the last statement.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }
}
