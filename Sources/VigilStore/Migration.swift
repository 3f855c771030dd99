/// One step of the schema, applied once, in order, and recorded in `PRAGMA user_version`.
public struct Migration: Sendable {
    public let version: Int
    public let sql: String

    public init(version: Int, sql: String) {
        self.version = version
        self.sql = sql
    }

    /// Applies every migration newer than the file's `user_version`, each in its own transaction.
    static func apply(_ migrations: [Migration], on connection: Connection) throws(SQLiteError) {
        let statement = try connection.prepare("PRAGMA user_version")
        let current = try statement.step() ? Int(statement.int64(0)) : 0
        statement.reset()
        if let newest = migrations.map(\.version).max(), current > newest {
            throw SQLiteError(
                code: 1, message: "the database schema is version \(current), newer than this build knows (\(newest)); use a newer vigil")
        }
        for migration in migrations.sorted(by: { $0.version < $1.version }) where migration.version > current {
            try connection.execute("BEGIN IMMEDIATE")
            do throws(SQLiteError) {
                try connection.execute(migration.sql)
                try connection.execute("PRAGMA user_version = \(migration.version)")
                try connection.execute("COMMIT")
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }
}
