/// A failed SQLite call: its result code, SQLite's message, and the SQL (never the bound values).
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    public let code: Int32
    public let message: String
    public let sql: String?

    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    public var description: String {
        "SQLite error \(code): \(message)" + (sql.map { " in `\($0.prefix(200))`" } ?? "")
    }

    /// The database is locked or busy with another writer.
    public var isBusy: Bool { code & 0xff == 5 || code & 0xff == 6 }
}
