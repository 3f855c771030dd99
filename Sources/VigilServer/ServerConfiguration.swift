public import FoundationEssentials
public import Logging
import VigilModels
public import VigilStore

/// Everything `vigil serve` can be told, with SPEC §9's defaults.
///
/// Each setting can come from a `VIGIL_*` environment variable; command-line flags override those.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var modelsDirectory = URL(fileURLWithPath: "models")
    /// A path prefix every route lives under, such as `/vigil`; empty for none.
    public var basePath = ""
    /// Bearer token for admin routes; with none, admin routes are off.
    public var adminToken: String?
    /// The largest request body accepted, after gzip decoding as well as before.
    public var bodyLimit = 16 * 1024 * 1024
    /// When true (Triton's default), `/v2/health/ready` needs every model ready, not only the server.
    public var strictReadiness = true
    /// Responses at least this large are gzipped for clients that accept it.
    public var compressionThreshold = 1024
    /// The SQLite file for feature windows, profiles, reports and alerts, when there is no `store`.
    public var databasePath = "vigil.sqlite"
    /// A PostgreSQL database a fleet of replicas shares (`--store postgres://…`) instead of the SQLite file.
    public var store: FleetAddress?
    /// The name this replica writes its windows under in a shared store; the host name when nil.
    public var replicaID: String?
    /// Whether request features and predictions are logged at all.
    public var featureLogging = true
    /// How often the feature log is written to SQLite.
    public var flushInterval: Duration = .seconds(1)
    /// How long windows are kept; nil keeps them forever.
    public var retention: Duration? = .seconds(30 * 86_400)
    /// The length of one feature-log window.
    public var window: Duration = .seconds(60)
    /// The share of request rows kept whole as payload samples (0 for none).
    public var payloadRate = 0.0
    /// How long a write waits for a database locked by another process.
    public var busyTimeout: Duration = .seconds(5)
    /// How often the drift monitor tests every model.
    public var driftInterval: Duration = .seconds(60)
    /// Drifted (or clean) runs in a row before an alert fires (or resolves).
    public var alertFor = 2
    /// Alertmanager-format webhook receivers for every model's alerts.
    public var alertWebhooks: [String] = []
    /// Slack-format webhook receivers for every model's alerts.
    public var slackWebhooks: [String] = []
    /// The address people reach this server at, for links in notifications; defaults to host and port.
    public var externalURL: String?
    /// How often the notification outbox is tried.
    public var outboxInterval: Duration = .seconds(1)
    /// How long a request's database read may wait before it answers 503.
    public var readTimeout: Duration = .seconds(2)
    /// A token the dashboard asks for (login form or bearer header); with none, the dashboard is open.
    public var dashboardToken: String?
    /// How often dashboard pages reload themselves; nil for never.
    public var dashboardRefresh: Duration? = .seconds(30)
    /// Peers whose `X-Forwarded-*` headers are believed.
    public var trustedProxies = TrustedProxies()
    /// Alertmanager instances that get alerts through their API, as Prometheus sends them.
    public var alertmanagerURLs: [String] = []
    /// How long an idle keepalive connection stays open; longer than a proxy's upstream keepalive.
    public var idleTimeout: Duration = .seconds(75)
    /// How long a request's body may take to arrive after its head, however it trickles in.
    public var requestTimeout: Duration = .seconds(60)
    /// How long SIGTERM waits for in-flight requests before the remaining work is cancelled.
    public var shutdownTimeout: Duration = .seconds(30)
    /// Whether every request is logged (method, path, status, time, client address).
    public var accessLog = false
    /// The least severe log level written.
    public var logLevel: Logger.Level = .info

    /// Where links in notifications start: `--external-url` (with the base path when it lacks it), or this server's address.
    public var linkBase: String {
        guard var external = externalURL else { return "http://\(host):\(port)\(basePath)" }
        while external.hasSuffix("/") { external.removeLast() }
        return basePath.isEmpty || external.hasSuffix(basePath) ? external : external + basePath
    }

    public init() {}

    /// Defaults overlaid with the `VIGIL_*` variables found in `environment`, then with `flags`
    /// (command-line values keyed by flag name without dashes, such as `body-limit`). Both go
    /// through the one table of `ServerSetting`s, so a setting is parsed the same way from either.
    public init(environment: [String: String], flags: [String: String] = [:]) throws(ConfigurationError) {
        let table = Dictionary(Self.settings.map { ($0.flag, $0) }, uniquingKeysWith: { first, _ in first })
        for setting in Self.settings {
            if let text = environment[setting.environment], !text.isEmpty { try setting.apply(&self, text, setting.environment) }
        }
        for (flag, text) in flags.sorted(by: { $0.key < $1.key }) {
            guard let setting = table[flag] else { throw ConfigurationError("--\(flag) is not a setting of vigil serve") }
            try setting.apply(&self, text, "--\(flag)")
        }
    }

    public static func parseBool(_ text: String, source: String) throws(ConfigurationError) -> Bool {
        guard let flag = Bool(text.lowercased()) else { throw ConfigurationError("\(source) must be true or false, not '\(text)'") }
        return flag
    }

    /// A duration with a unit: `500ms`, `1s`, `5m`, `12h`, `30d`; a bare number is seconds.
    public static func parseDuration(_ text: String, source: String) throws(ConfigurationError) -> Duration {
        let trimmed = text.trimmingWhitespace().lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        for (suffix, seconds) in units where trimmed.hasSuffix(suffix) {
            if let number = Double(trimmed.dropLast(suffix.count)), number > 0, number.isFinite {
                return .milliseconds(Int64((number * seconds * 1000).rounded()))
            }
        }
        if let number = Double(trimmed), number > 0, number.isFinite { return .milliseconds(Int64((number * 1000).rounded())) }
        throw ConfigurationError("\(source) must be a positive duration such as 500ms, 1s, 5m, 12h or 30d, not '\(text)'")
    }

    /// A retention period, or `forever` (also `0`) to keep every window.
    public static func parseRetention(_ text: String, source: String) throws(ConfigurationError) -> Duration? {
        let trimmed = text.trimmingWhitespace().lowercased()
        if trimmed == "forever" || trimmed == "0" { return nil }
        return try parseDuration(trimmed, source: source)
    }

    /// A refresh period, or `0`/`off` for none.
    public static func parseRefresh(_ text: String, source: String) throws(ConfigurationError) -> Duration? {
        let trimmed = text.trimmingWhitespace().lowercased()
        if trimmed == "off" || trimmed == "0" { return nil }
        return try parseDuration(trimmed, source: source)
    }

    /// A `postgres://` URL for `--store`.
    public static func parseStore(_ text: String, source: String) throws(ConfigurationError) -> FleetAddress {
        do {
            return try FleetAddress(url: text.trimmingWhitespace())
        } catch {
            throw ConfigurationError("\(source): \(error.message); without it the store is the SQLite file of --db")
        }
    }

    /// Comma-separated http(s) URLs.
    public static func parseURLs(_ text: String, source: String) throws(ConfigurationError) -> [String] {
        let urls = text.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        for url in urls where !(url.hasPrefix("http://") || url.hasPrefix("https://")) || URL(string: url) == nil {
            throw ConfigurationError("\(source) must hold http:// or https:// URLs, not '\(url)'")
        }
        return urls
    }

    /// A share from 0 to 1.
    public static func parseRate(_ text: String, source: String) throws(ConfigurationError) -> Double {
        guard let rate = Double(text.trimmingWhitespace()), rate >= 0, rate <= 1 else {
            throw ConfigurationError("\(source) must be a share from 0 to 1, such as 0.01, not '\(text)'")
        }
        return rate
    }

    public static func parsePort(_ text: String, source: String) throws(ConfigurationError) -> Int {
        guard let port = Int(text), (0...65535).contains(port) else {
            throw ConfigurationError("\(source) must be a port number from 0 to 65535, not '\(text)'")
        }
        return port
    }

    /// A size in bytes, with an optional K, M or G suffix (powers of 1024): `16M`, `512K`, `1048576`.
    public static func parseSize(_ text: String, source: String) throws(ConfigurationError) -> Int {
        let trimmed = text.trimmingWhitespace().uppercased().replacing("IB", with: "").replacing("B", with: "")
        let multipliers: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var digits = Substring(trimmed)
        var multiplier = 1
        if let last = digits.last, let factor = multipliers[last] {
            multiplier = factor
            digits = digits.dropLast()
        }
        guard let number = Int(digits), number > 0 else {
            throw ConfigurationError("\(source) must be a positive size such as 16M or 1048576, not '\(text)'")
        }
        return number * multiplier
    }

    /// `vigil/` and `/vigil/` both become `/vigil`; `/` becomes empty.
    public static func normalizeBasePath(_ text: String) throws(ConfigurationError) -> String {
        let parts = text.split(separator: "/", omittingEmptySubsequences: true)
        for part in parts where part == "." || part == ".." || part.contains(where: { $0 == "?" || $0 == "#" || $0 == ":" || $0 == "{" }) {
            throw ConfigurationError("base path '\(text)' must be plain path segments")
        }
        return parts.isEmpty ? "" : "/" + parts.joined(separator: "/")
    }
}

/// A setting that cannot be used, with the reason.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
