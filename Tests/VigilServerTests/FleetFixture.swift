import Foundation
import Testing

/// A fleet's PostgreSQL database for one test, on the server `.ci/run` starts
/// (`VIGIL_TEST_POSTGRES`), read back through `psql` as an operator would.
struct FleetDatabaseFixture {
    let url: String

    static var serverURL: String? { ProcessInfo.processInfo.environment["VIGIL_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 } }

    /// Fleet tests run where a server is given, and always on CI, where a missing server fails them.
    static var isAvailable: Bool { serverURL != nil || ProcessInfo.processInfo.environment["CI"] != nil }

    /// A new, empty database on the test server.
    static func fresh() throws -> FleetDatabaseFixture {
        guard let server = serverURL else {
            throw ProcessFailure("VIGIL_TEST_POSTGRES is not set: start a server with tools/postgres.sh start DIR")
        }
        let name = "vigil_fleet_" + UUID().uuidString.lowercased().replacing("-", with: "")
        try psql(server, "CREATE DATABASE \(name)")
        guard let slash = server.lastIndex(of: "/") else { throw ProcessFailure("VIGIL_TEST_POSTGRES has no database: \(server)") }
        return FleetDatabaseFixture(url: server[..<slash] + "/" + name)
    }

    /// The rows `sql` returns, one line each, columns joined by `|`.
    func rows(_ sql: String) throws -> [String] {
        try Self.psql(url, sql)
    }

    @discardableResult
    static func psql(_ url: String, _ sql: String) throws -> [String] {
        guard let psql = LoopbackServer.which("psql") else { throw ProcessFailure("psql is not installed") }
        let (status, output) = try Command.run(psql, [url, "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
        guard status == 0 else { throw ProcessFailure("psql failed on `\(sql)`: \(output)") }
        return output.split(separator: "\n").map(String.init)
    }
}

/// A SQLite file read through the `sqlite3` command, as the PostgreSQL side is read through `psql`.
struct SQLiteFileFixture {
    let path: String

    func rows(_ sql: String) throws -> [String] {
        guard let sqlite3 = LoopbackServer.which("sqlite3") else { throw ProcessFailure("sqlite3 is not installed") }
        let (status, output) = try Command.run(sqlite3, ["-readonly", path, sql])
        guard status == 0 else { throw ProcessFailure("sqlite3 failed on `\(sql)`: \(output)") }
        return output.split(separator: "\n").map(String.init)
    }
}

/// Totals of every column over every window, as text both engines print alike: what "the same
/// window" means when a fleet's is compared with one server's.
enum WindowTotals {
    static let queries = [
        "SELECT model || '|' || role || '|' || feature || '|' || sum(count) || '|' || sum(missing) FROM feature_windows GROUP BY model, role, feature",
        "SELECT model || '|' || role || '|' || feature || '|' || slot || '|' || sum(count) FROM window_bins GROUP BY model, role, feature, slot",
        "SELECT model || '|' || role || '|' || feature || '|' || category || '|' || sum(count) FROM window_categories GROUP BY model, role, feature, category",
    ]

    static func of(_ rows: (String) throws -> [String]) throws -> [[String]] {
        try queries.map { try rows($0).sorted() }
    }
}

extension VigilProcess {
    /// This replica's `vigil_monitor_leader` gauge: 1 leading, 0 not, nil before its first drift tick.
    func leads() throws -> Bool? {
        let (_, metrics) = try get("/metrics")
        guard let line = metrics.split(separator: "\n").first(where: { $0.hasPrefix("vigil_monitor_leader ") }) else { return nil }
        return line.hasSuffix(" 1.0") || line.hasSuffix(" 1")
    }

    /// The value of the metric sample `name` (with its labels, as printed), or nil.
    func metric(_ name: String) throws -> Double? {
        let (_, metrics) = try get("/metrics")
        guard let line = metrics.split(separator: "\n").first(where: { $0.hasPrefix(name + " ") }) else { return nil }
        return line.split(separator: " ").last.flatMap { Double($0) }
    }
}
