import Foundation

@testable import VigilStore

/// A fresh, empty store of one engine, and other processes' views of it: the second process of a
/// SQLite file, or another replica of a fleet's PostgreSQL database.
struct TestStore {
    let store: Store
    let replica: (String) throws -> Store

    static func fresh(_ engine: Store.Engine) throws -> TestStore {
        switch engine {
        case .sqlite:
            let file = try TemporaryDatabase()
            return TestStore(store: .sqlite(try file.open())) { _ in .sqlite(try file.open()) }
        case .postgres:
            let address = try TestPostgres.freshDatabase()
            return TestStore(store: .postgres(try FleetDatabase(address: address, replica: "replica-1"))) { name in
                .postgres(try FleetDatabase(address: address, replica: name))
            }
        }
    }
}

/// The PostgreSQL server the tests use: `VIGIL_TEST_POSTGRES`, a `postgres://` URL of a user who
/// may create databases (`.ci/run` starts one with `tools/postgres.sh`). Each test gets a new database.
enum TestPostgres {
    static var url: String? { ProcessInfo.processInfo.environment["VIGIL_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 } }

    /// Both engines where a server is given, and always on CI (where a missing server fails the
    /// PostgreSQL cases instead of skipping them); SQLite alone on a machine without one.
    static var engines: [Store.Engine] {
        url != nil || ProcessInfo.processInfo.environment["CI"] != nil ? [.sqlite, .postgres] : [.sqlite]
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "VIGIL_TEST_POSTGRES is not set: start a server with tools/postgres.sh start DIR and export the URL it prints"
        }
    }

    /// A new, empty database on the test server.
    static func freshDatabase() throws -> FleetAddress {
        guard let url else { throw Missing() }
        var address = try FleetAddress(url: url)
        let name = "vigil_test_" + UUID().uuidString.lowercased().replacing("-", with: "")
        // The leader connection applies no migrations: this one only creates the database.
        let server = FleetDatabase(connectingLater: address, replica: "setup")
        defer { server.close() }
        try server.leader.use { session throws(StoreError) in try session.run("CREATE DATABASE \(name)") }
        address.database = name
        return address
    }
}
