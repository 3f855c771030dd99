import CSQLite
public import Foundation

/// One SQLite connection, used by one thread at a time behind a lock, with its prepared statements.
///
/// Opened in WAL mode with a busy timeout, `synchronous=NORMAL` (a crash loses at most the last
/// transactions, never integrity) and foreign keys on. Every statement is prepared once per SQL text.
public final class Database: @unchecked Sendable {
    public let path: String
    // Unchecked: the connection is only ever reached inside `lock`.
    private let connection: Connection
    private let lock = NSLock()

    /// Opens (creating if needed) the database at `path` and applies the schema migrations.
    public init(path: String, busyTimeout: Duration = .seconds(5), migrations: [Migration] = Schema.migrations) throws(SQLiteError) {
        self.path = path
        connection = try Connection(path: path)
        let milliseconds = Int32(busyTimeout.components.seconds * 1000)
        try withConnection { connection throws(SQLiteError) in
            sqlite3_busy_timeout(connection.handle, milliseconds)
            try connection.execute("PRAGMA journal_mode=WAL")
            try connection.execute("PRAGMA synchronous=NORMAL")
            try connection.execute("PRAGMA foreign_keys=ON")
            try Migration.apply(migrations, on: connection)
        }
    }

    /// Runs `body` with exclusive use of the connection.
    public func withConnection<T>(_ body: (Connection) throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(connection)
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
