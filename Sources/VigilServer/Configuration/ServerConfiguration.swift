public import FoundationEssentials
public import Logging
import VigilModels
public import VigilStore

/// Everything `vigil serve` can be told, with SPEC §9's defaults.
///
/// Each setting can come from a `VIGIL_*` environment variable; command-line flags override those.
public struct ServerConfiguration: Sendable, Equatable {
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
}

/// A setting that cannot be used, with the reason.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
