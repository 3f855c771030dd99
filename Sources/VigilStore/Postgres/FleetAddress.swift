import FoundationEssentials

/// Where a fleet's PostgreSQL database is: `postgres://user:password@host:port/database`
/// (`postgresql://` too), the form libpq and every PostgreSQL tool read. Percent-escapes in the
/// user, password and database are decoded. Printing it leaves the password out. Connections are
/// plain TCP, so `sslmode=require` (or stricter) is refused.
public struct FleetAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String

    public init(host: String, port: Int = 5432, username: String, password: String? = nil, database: String) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }

    /// Reads a `postgres://` URL; throws `.badAddress` with what is wrong.
    public init(url: String) throws(StoreError) {
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            throw StoreError(
                .badAddress,
                "--store '\(FleetAddress.redacted(url))' is not a postgres:// URL (postgres://user:password@host:port/database)")
        }
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            throw StoreError(
                .badAddress, "--store '\(FleetAddress.redacted(url))' has no host (postgres://user:password@host:port/database)")
        }
        guard let user = components.user, !user.isEmpty else {
            throw StoreError(
                .badAddress, "--store '\(FleetAddress.redacted(url))' names no user (postgres://user:password@host:port/database)")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw StoreError(
                .badAddress, "--store '\(FleetAddress.redacted(url))' names no database (postgres://user:password@host:port/database)")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw StoreError(.badAddress, "--store port \(port) is not a TCP port")
        }
        // Connections are plain TCP: a URL that asks for TLS is refused rather than quietly not given it.
        if let mode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value, !["disable", "allow", "prefer"].contains(mode) {
            throw StoreError(
                .badAddress,
                "--store asks for sslmode=\(mode), but Vigil connects to PostgreSQL without TLS; reach it over a private network, or drop sslmode"
            )
        }
        // URLComponents decodes the percent-escapes of the user, password and path.
        self.init(host: host, port: components.port ?? 5432, username: user, password: components.password, database: database)
    }

    public var description: String { "postgres://\(username)@\(host):\(port)/\(database)" }

    /// `url` with any password replaced by `***`, for messages.
    static func redacted(_ url: String) -> String {
        guard let at = url.lastIndex(of: "@"), let slash = url.firstIndex(of: "/") else { return url }
        let credentialsStart = url.index(slash, offsetBy: 2, limitedBy: at) ?? at
        let credentials = url[credentialsStart..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }
}
