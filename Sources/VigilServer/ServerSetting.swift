import FoundationEssentials
public import Logging

/// One setting of `vigil serve`: its flag, its `VIGIL_*` variable, and how its text sets the configuration.
public struct ServerSetting: Sendable {
    /// The flag without dashes, such as `body-limit`.
    public let flag: String
    let apply: @Sendable (inout ServerConfiguration, _ text: String, _ source: String) throws(ConfigurationError) -> Void

    /// `VIGIL_` and the flag in upper case with underscores: `--body-limit` is `VIGIL_BODY_LIMIT`.
    public var environment: String {
        "VIGIL_" + flag.uppercased().replacing("-", with: "_")
    }

    init(_ flag: String, _ apply: @escaping @Sendable (inout ServerConfiguration, _ text: String, _ source: String) throws(ConfigurationError) -> Void) {
        self.flag = flag
        self.apply = apply
    }
}

extension ServerConfiguration {
    /// Every setting `vigil serve` takes, from a flag or from the environment.
    public static let settings: [ServerSetting] = [
        ServerSetting("host") { configuration, text, _ in configuration.host = text },
        ServerSetting("port") { configuration, text, source throws(ConfigurationError) in configuration.port = try parsePort(text, source: source) },
        ServerSetting("models") { configuration, text, _ in configuration.modelsDirectory = URL(fileURLWithPath: text) },
        ServerSetting("base-path") { configuration, text, _ throws(ConfigurationError) in configuration.basePath = try normalizeBasePath(text) },
        ServerSetting("admin-token") { configuration, text, _ in configuration.adminToken = text.isEmpty ? nil : text },
        ServerSetting("body-limit") { configuration, text, source throws(ConfigurationError) in configuration.bodyLimit = try parseSize(text, source: source) },
        ServerSetting("strict-readiness") { configuration, text, source throws(ConfigurationError) in
            configuration.strictReadiness = try parseBool(text, source: source)
        },
        ServerSetting("db") { configuration, text, _ in configuration.databasePath = text },
        ServerSetting("store") { configuration, text, source throws(ConfigurationError) in configuration.store = try parseStore(text, source: source) },
        ServerSetting("replica-id") { configuration, text, _ in configuration.replicaID = text },
        ServerSetting("feature-log") { configuration, text, source throws(ConfigurationError) in configuration.featureLogging = try parseBool(text, source: source) },
        ServerSetting("flush-interval") { configuration, text, source throws(ConfigurationError) in
            configuration.flushInterval = try parseDuration(text, source: source)
        },
        ServerSetting("retention") { configuration, text, source throws(ConfigurationError) in configuration.retention = try parseRetention(text, source: source) },
        ServerSetting("window") { configuration, text, source throws(ConfigurationError) in configuration.window = try parseDuration(text, source: source) },
        ServerSetting("log-payloads") { configuration, text, source throws(ConfigurationError) in configuration.payloadRate = try parseRate(text, source: source) },
        ServerSetting("drift-interval") { configuration, text, source throws(ConfigurationError) in
            configuration.driftInterval = try parseDuration(text, source: source)
        },
        ServerSetting("alert-for") { configuration, text, source throws(ConfigurationError) in
            guard let runs = Int(text), runs >= 1 else { throw ConfigurationError("\(source) must be a whole number of runs, at least 1, not '\(text)'") }
            configuration.alertFor = runs
        },
        ServerSetting("alert-webhook") { configuration, text, source throws(ConfigurationError) in configuration.alertWebhooks = try parseURLs(text, source: source) },
        ServerSetting("slack-webhook") { configuration, text, source throws(ConfigurationError) in configuration.slackWebhooks = try parseURLs(text, source: source) },
        ServerSetting("alertmanager-url") { configuration, text, source throws(ConfigurationError) in
            configuration.alertmanagerURLs = try parseURLs(text, source: source)
        },
        ServerSetting("external-url") { configuration, text, _ in configuration.externalURL = text },
        ServerSetting("read-timeout") { configuration, text, source throws(ConfigurationError) in configuration.readTimeout = try parseDuration(text, source: source) },
        ServerSetting("dashboard-token") { configuration, text, _ in configuration.dashboardToken = text.isEmpty ? nil : text },
        ServerSetting("dashboard-refresh") { configuration, text, source throws(ConfigurationError) in
            configuration.dashboardRefresh = try parseRefresh(text, source: source)
        },
        ServerSetting("trusted-proxy") { configuration, text, source throws(ConfigurationError) in
            configuration.trustedProxies = try TrustedProxies(parsing: text, source: source)
        },
        ServerSetting("idle-timeout") { configuration, text, source throws(ConfigurationError) in configuration.idleTimeout = try parseDuration(text, source: source) },
        ServerSetting("request-timeout") { configuration, text, source throws(ConfigurationError) in configuration.requestTimeout = try parseDuration(text, source: source) },
        ServerSetting("shutdown-timeout") { configuration, text, source throws(ConfigurationError) in
            configuration.shutdownTimeout = try parseDuration(text, source: source)
        },
        ServerSetting("access-log") { configuration, text, source throws(ConfigurationError) in configuration.accessLog = try parseBool(text, source: source) },
        ServerSetting("log-level") { configuration, text, source throws(ConfigurationError) in
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                throw ConfigurationError("\(source) must be one of trace, debug, info, notice, warning, error, critical, not '\(text)'")
            }
            configuration.logLevel = level
        },
    ]
}
