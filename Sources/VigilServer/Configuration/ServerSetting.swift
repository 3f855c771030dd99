import FoundationEssentials

/// One setting of `vigil serve`, declared once: its flag, its `VIGIL_*` variable (named after the
/// flag), its default as the help shows it, its help text, and how its text sets the configuration.
///
/// `vigil serve --help` and the README's settings table are both written from
/// `ServerConfiguration.settings`; a test checks the README against it, and that every default
/// shown is the configuration's own.
public struct ServerSetting: Sendable {
    public typealias Apply = @Sendable (inout ServerConfiguration, _ text: String, _ source: String) throws(ConfigurationError) -> Void

    /// The flag without dashes, such as `body-limit`.
    public let flag: String
    /// The default as a user would write it (`16M`, `60s`), or a phrase in parentheses for a default
    /// that is not a value (`(none)`, `(the host name)`).
    public let defaultValue: String
    /// What the setting does, for `--help` and the README.
    public let help: String
    /// A flag that may be given more than once; its values, like its variable's, are comma-separated.
    public let isRepeatable: Bool
    private let set: Apply

    init(_ flag: String, default defaultValue: String, repeatable: Bool = false, _ help: String, _ apply: @escaping Apply) {
        self.flag = flag
        self.defaultValue = defaultValue
        self.help = help
        self.isRepeatable = repeatable
        self.set = apply
    }

    /// `VIGIL_` and the flag in upper case with underscores: `--body-limit` is `VIGIL_BODY_LIMIT`.
    public var environment: String {
        "VIGIL_" + flag.uppercased().replacing("-", with: "_")
    }

    /// Whether the default is a value that parses, rather than a phrase such as `(none)`.
    public var hasValueDefault: Bool {
        !defaultValue.hasPrefix("(")
    }

    /// Sets `configuration` from `text`; errors name `source`, the flag or variable it came from.
    public func apply(_ text: String, to configuration: inout ServerConfiguration, source: String) throws(ConfigurationError) {
        try set(&configuration, text, source)
    }
}

extension ServerConfiguration {
    /// Every setting `vigil serve` takes, from a flag or from the environment, in the order `--help` lists them.
    public static let settings: [ServerSetting] = [
        ServerSetting("host", default: "127.0.0.1", "Address to bind.") { configuration, text, _ in configuration.host = text },
        ServerSetting("port", default: "8080", "Port to listen on; 0 picks a free one.") {
            configuration, text, source throws(ConfigurationError) in
            configuration.port = try parsePort(text, source: source)
        },
        ServerSetting("models", default: "models", "Folder of model folders.") { configuration, text, _ in
            configuration.modelsDirectory = URL(fileURLWithPath: text)
        },
        ServerSetting("base-path", default: "(none)", "Serve every route under this prefix, such as /vigil.") {
            configuration, text, _ throws(ConfigurationError) in
            configuration.basePath = try normalizeBasePath(text)
        },
        ServerSetting("admin-token", default: "(none)", "Bearer token for the admin routes; without one they are off.") {
            configuration, text, _ in
            configuration.adminToken = text.isEmpty ? nil : text
        },
        ServerSetting("body-limit", default: "16M", "Largest request body, compressed and decompressed (K, M and G suffixes).") {
            configuration, text, source throws(ConfigurationError) in configuration.bodyLimit = try parseSize(text, source: source)
        },
        ServerSetting(
            "strict-readiness", default: "true", "/v2/health/ready needs every model ready (Triton's default); false needs only the server."
        ) {
            configuration, text, source throws(ConfigurationError) in configuration.strictReadiness = try parseBool(text, source: source)
        },
        ServerSetting("db", default: "vigil.sqlite", "SQLite file for feature windows, profiles, drift reports and alerts.") {
            configuration, text, _ in
            configuration.databasePath = text
        },
        ServerSetting(
            "store", default: "(none)",
            "Fleet mode: a PostgreSQL database shared by replicas, postgres://user:password@host:port/database, instead of the SQLite file."
        ) {
            configuration, text, source throws(ConfigurationError) in configuration.store = try parseStore(text, source: source)
        },
        ServerSetting("replica-id", default: "(the host name)", "The name this replica writes its windows under in a shared store.") {
            configuration, text, _ in configuration.replicaID = text
        },
        ServerSetting("feature-log", default: "true", "Log request features and predictions.") {
            configuration, text, source throws(ConfigurationError) in
            configuration.featureLogging = try parseBool(text, source: source)
        },
        ServerSetting("flush-interval", default: "1s", "How often the feature log is written (500ms, 1s, ...).") {
            configuration, text, source throws(ConfigurationError) in configuration.flushInterval = try parseDuration(text, source: source)
        },
        ServerSetting("window", default: "60s", "Length of one feature-log window.") {
            configuration, text, source throws(ConfigurationError) in
            configuration.window = try parseDuration(text, source: source)
        },
        ServerSetting("retention", default: "30d", "How long windows and payload samples are kept; forever keeps them all.") {
            configuration, text, source throws(ConfigurationError) in configuration.retention = try parseRetention(text, source: source)
        },
        ServerSetting("log-payloads", default: "0", "Share of request rows kept whole as payload samples, 0 to 1.") {
            configuration, text, source throws(ConfigurationError) in configuration.payloadRate = try parseRate(text, source: source)
        },
        ServerSetting("drift-interval", default: "60s", "How often the drift monitor tests every model.") {
            configuration, text, source throws(ConfigurationError) in configuration.driftInterval = try parseDuration(text, source: source)
        },
        ServerSetting("alert-for", default: "2", "Drifted runs in a row before an alert fires, and clean runs before it resolves.") {
            configuration, text, source throws(ConfigurationError) in
            guard let runs = Int(text), runs >= 1 else {
                throw ConfigurationError("\(source) must be a whole number of runs, at least 1, not '\(text)'")
            }
            configuration.alertFor = runs
        },
        ServerSetting(
            "alertmanager-url", default: "(none)", repeatable: true,
            "An Alertmanager, such as http://alertmanager:9093, that gets alerts through its API (POST /api/v2/alerts), as Prometheus sends them."
        ) {
            configuration, text, source throws(ConfigurationError) in configuration.alertmanagerURLs = try parseURLs(text, source: source)
        },
        ServerSetting(
            "alert-webhook", default: "(none)", repeatable: true,
            "A webhook receiver that takes Alertmanager's webhook JSON, as Alertmanager sends it to its own receivers."
        ) {
            configuration, text, source throws(ConfigurationError) in configuration.alertWebhooks = try parseURLs(text, source: source)
        },
        ServerSetting("slack-webhook", default: "(none)", repeatable: true, "A Slack-format webhook receiver.") {
            configuration, text, source throws(ConfigurationError) in configuration.slackWebhooks = try parseURLs(text, source: source)
        },
        ServerSetting("external-url", default: "(http://HOST:PORT)", "The address people reach Vigil at, for links in alerts.") {
            configuration, text, _ in
            configuration.externalURL = text
        },
        ServerSetting(
            "dashboard-token", default: "(none)",
            "A token the dashboard asks for, through a login form or a bearer header; without one it is open."
        ) {
            configuration, text, _ in configuration.dashboardToken = text.isEmpty ? nil : text
        },
        ServerSetting("dashboard-refresh", default: "30s", "How often dashboard pages reload themselves; 0 for never.") {
            configuration, text, source throws(ConfigurationError) in
            configuration.dashboardRefresh = try parseRefresh(text, source: source)
        },
        ServerSetting(
            "trusted-proxy", default: "(none)", repeatable: true,
            "Addresses or CIDR blocks (127.0.0.1, 10.0.0.0/8, ::1) whose X-Forwarded-For, -Prefix and -Proto are believed; from any other peer they are ignored."
        ) {
            configuration, text, source throws(ConfigurationError) in
            configuration.trustedProxies = try TrustedProxies(parsing: text, source: source)
        },
        ServerSetting(
            "access-log", default: "false", "Log one line per request: method, path, status, milliseconds and the client's address."
        ) {
            configuration, text, source throws(ConfigurationError) in configuration.accessLog = try parseBool(text, source: source)
        },
        ServerSetting(
            "idle-timeout", default: "75s", "Close keepalive connections idle this long; keep it above a proxy's upstream keepalive."
        ) {
            configuration, text, source throws(ConfigurationError) in configuration.idleTimeout = try parseDuration(text, source: source)
        },
        ServerSetting(
            "request-timeout", default: "60s",
            "Close a connection whose request body has not arrived this long after its head, however slowly it trickles in."
        ) {
            configuration, text, source throws(ConfigurationError) in configuration.requestTimeout = try parseDuration(text, source: source)
        },
        ServerSetting(
            "shutdown-timeout", default: "30s",
            "On SIGTERM, how long in-flight requests may take before the rest is cancelled; the feature log still flushes."
        ) {
            configuration, text, source throws(ConfigurationError) in
            configuration.shutdownTimeout = try parseDuration(text, source: source)
        },
        ServerSetting(
            "read-timeout", default: "2s", "How long a dashboard or drift-API read may wait for the database before it answers 503."
        ) {
            configuration, text, source throws(ConfigurationError) in configuration.readTimeout = try parseDuration(text, source: source)
        },
        ServerSetting("log-level", default: "info", "trace, debug, info, notice, warning, error or critical.") {
            configuration, text, source throws(ConfigurationError) in configuration.logLevel = try parseLogLevel(text, source: source)
        },
    ]
}
