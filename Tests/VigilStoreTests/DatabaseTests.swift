import Foundation
import Testing
import VigilStore

struct DatabaseTests {
    @Test func migrationsSetTheSchemaVersionAndWALMode() throws {
        let file = try TemporaryDatabase()
        let database = try file.open()
        let (version, mode) = try database.withConnection { connection throws(SQLiteError) in
            let version = try connection.prepare("PRAGMA user_version").rows { $0.int64(0) }.first
            let mode = try connection.prepare("PRAGMA journal_mode").rows { $0.string(0) }.first ?? nil
            return (version, mode)
        }
        #expect(version == Int64(Schema.migrations.map(\.version).max() ?? 0))
        #expect(mode == "wal")
        #expect(FileManager.default.fileExists(atPath: file.path))
        #expect(try database.integrityCheck() == "ok")
    }

    @Test func reopeningKeepsDataAndDoesNotMigrateTwice() throws {
        let file = try TemporaryDatabase()
        do {
            let database = try file.open()
            try database.withConnection { connection throws(SQLiteError) in
                try connection.run(
                    "INSERT INTO outbox (receiver, content_type, payload, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)",
                    .text("r"), .text("application/json"), .blob([1, 2, 3]), .real(1), .real(1))
            }
        }
        let reopened = try file.open()
        let payloads = try reopened.withConnection { connection throws(SQLiteError) in
            try connection.prepare("SELECT payload FROM outbox").rows { $0.blob(0) }
        }
        #expect(payloads == [[1, 2, 3]])
    }

    @Test func aNewerSchemaIsRefusedWithAMessage() throws {
        let file = try TemporaryDatabase()
        _ = try file.open(migrations: [Migration(version: 1, sql: "CREATE TABLE a (x)"), Migration(version: 2, sql: "CREATE TABLE b (x)")])
        do {
            _ = try file.open(migrations: [Migration(version: 1, sql: "CREATE TABLE a (x)")])
            Issue.record("expected the newer schema to be refused")
        } catch {
            #expect("\(error)".contains("newer than this build knows"))
        }
    }

    @Test func failedTransactionRollsBack() throws {
        let database = try TemporaryDatabase().open()
        #expect(throws: SQLiteError.self) {
            try database.transaction { connection throws(SQLiteError) in
                try connection.run(
                    "INSERT INTO payload_samples (model, received_at, features, outputs) VALUES (?, ?, ?, ?)", .text("m"), .real(1),
                    .text("{}"), .text("{}"))
                try connection.run("INSERT INTO no_such_table VALUES (1)")
            }
        }
        let count = try database.withConnection { connection throws(SQLiteError) in
            try connection.prepare("SELECT count(*) FROM payload_samples").rows { $0.int64(0) }.first
        }
        #expect(count == 0)
    }

    @Test func errorsCarrySQLitesMessageAndTheSQL() throws {
        let database = try TemporaryDatabase().open()
        do {
            try database.withConnection { connection throws(SQLiteError) in
                try connection.run("SELECT * FROM missing_table WHERE x = ?", .text("secret"))
            }
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("no such table: missing_table"))
            #expect(error.sql?.contains("missing_table") == true)
            #expect(!error.description.contains("secret"))
        }
    }

    @Test func doublesRoundTripThroughBlobs() {
        let values: [Double] = [0, -1.5, .pi, 1e-300, .infinity]
        #expect([Double](littleEndianBytes: values.littleEndianBytes) == values)
    }
}

extension TemporaryDatabase {
    func open(migrations: [Migration]) throws -> Database {
        try Database(path: path, migrations: migrations)
    }
}
