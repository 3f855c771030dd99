import ArgumentParser
import CMallocTuning
import Dispatch
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals
import VigilServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve every model folder in the model repository.",
        discussion: "Every option can also be set with the VIGIL_* environment variable named in its help; a flag wins over the variable."
    )

    @Option(help: "Address to bind (VIGIL_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one (VIGIL_PORT; default 8080).")
    var port: Int?

    @Option(help: "Folder of model folders (VIGIL_MODELS; default ./models).")
    var models: String?

    @Option(name: .customLong("base-path"), help: "Serve every route under this prefix, e.g. /vigil (VIGIL_BASE_PATH).")
    var basePath: String?

    @Option(name: .customLong("admin-token"), help: "Bearer token for admin routes; without one they are off (VIGIL_ADMIN_TOKEN).")
    var adminToken: String?

    @Option(name: .customLong("body-limit"), help: "Largest request body, before and after gzip, e.g. 16M (VIGIL_BODY_LIMIT; default 16M).")
    var bodyLimit: String?

    @Option(name: .customLong("strict-readiness"), help: "Ready only when every model is ready (VIGIL_STRICT_READINESS; default true).")
    var strictReadiness: Bool?

    @Option(help: "SQLite file for feature windows, profiles, reports and alerts (VIGIL_DB; default ./vigil.sqlite).")
    var db: String?

    @Option(name: .customLong("feature-log"), help: "Log request features and predictions (VIGIL_FEATURE_LOG; default true).")
    var featureLog: Bool?

    @Option(name: .customLong("flush-interval"), help: "How often the feature log is written, e.g. 1s or 500ms (VIGIL_FLUSH_INTERVAL; default 1s).")
    var flushInterval: String?

    @Option(help: "How long feature windows are kept, e.g. 30d, or 'forever' (VIGIL_RETENTION; default 30d).")
    var retention: String?

    @Option(help: "Length of one feature-log window, e.g. 60s (VIGIL_WINDOW; default 60s).")
    var window: String?

    @Option(name: .customLong("log-payloads"), help: "Share of request rows kept whole, 0 to 1 (VIGIL_LOG_PAYLOADS; default 0).")
    var logPayloads: String?

    @Option(name: .customLong("drift-interval"), help: "How often drift is tested, e.g. 60s (VIGIL_DRIFT_INTERVAL; default 60s).")
    var driftInterval: String?

    @Option(name: .customLong("alert-for"), help: "Drifted or clean runs in a row before an alert fires or resolves (VIGIL_ALERT_FOR; default 2).")
    var alertFor: Int?

    @Option(name: .customLong("alert-webhook"), help: "Alertmanager-format webhook for alerts; repeatable (VIGIL_ALERT_WEBHOOK, comma-separated).")
    var alertWebhooks: [String] = []

    @Option(name: .customLong("slack-webhook"), help: "Slack-format webhook for alerts; repeatable (VIGIL_SLACK_WEBHOOK, comma-separated).")
    var slackWebhooks: [String] = []

    @Option(name: .customLong("external-url"), help: "The address people reach Vigil at, for links in alerts (VIGIL_EXTERNAL_URL).")
    var externalURL: String?

    @Option(name: .customLong("dashboard-token"), help: "Token the dashboard asks for, through a login form or a bearer header; without one it is open (VIGIL_DASHBOARD_TOKEN).")
    var dashboardToken: String?

    @Option(name: .customLong("dashboard-refresh"), help: "How often dashboard pages reload themselves, e.g. 30s, or 0 for never (VIGIL_DASHBOARD_REFRESH; default 30s).")
    var dashboardRefresh: String?

    @Option(name: .customLong("trusted-proxy"), help: "Addresses or CIDR blocks whose X-Forwarded-For, -Proto and -Prefix are believed; repeatable (VIGIL_TRUSTED_PROXY, comma-separated).")
    var trustedProxies: [String] = []

    @Option(name: .customLong("read-timeout"), help: "How long a request's database read may wait before it answers 503, e.g. 2s (VIGIL_READ_TIMEOUT; default 2s).")
    var readTimeout: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (VIGIL_LOG_LEVEL; default info).")
    var logLevel: String?

    func run() async throws {
        // Batch buffers stay in the heap instead of being mmap'd and page-faulted in per request.
        vigil_keep_freed_memory()
        let environment = ProcessInfo.processInfo.environment
        var configuration: ServerConfiguration
        do throws(ConfigurationError) {
            configuration = try ServerConfiguration(environment: environment)
            if let host { configuration.host = host }
            if let port { configuration.port = try ServerConfiguration.parsePort(String(port), source: "--port") }
            if let models { configuration.modelsDirectory = URL(fileURLWithPath: models) }
            if let basePath { configuration.basePath = try ServerConfiguration.normalizeBasePath(basePath) }
            if let adminToken { configuration.adminToken = adminToken.isEmpty ? nil : adminToken }
            if let bodyLimit { configuration.bodyLimit = try ServerConfiguration.parseSize(bodyLimit, source: "--body-limit") }
            if let strictReadiness { configuration.strictReadiness = strictReadiness }
            if let db { configuration.databasePath = db }
            if let featureLog { configuration.featureLogging = featureLog }
            if let flushInterval { configuration.flushInterval = try ServerConfiguration.parseDuration(flushInterval, source: "--flush-interval") }
            if let retention { configuration.retention = try ServerConfiguration.parseRetention(retention, source: "--retention") }
            if let window { configuration.window = try ServerConfiguration.parseDuration(window, source: "--window") }
            if let driftInterval { configuration.driftInterval = try ServerConfiguration.parseDuration(driftInterval, source: "--drift-interval") }
            if let alertFor {
                guard alertFor >= 1 else { throw ConfigurationError("--alert-for must be at least 1") }
                configuration.alertFor = alertFor
            }
            if !alertWebhooks.isEmpty { configuration.alertWebhooks = try ServerConfiguration.parseURLs(alertWebhooks.joined(separator: ","), source: "--alert-webhook") }
            if !slackWebhooks.isEmpty { configuration.slackWebhooks = try ServerConfiguration.parseURLs(slackWebhooks.joined(separator: ","), source: "--slack-webhook") }
            if let externalURL { configuration.externalURL = externalURL }
            if let dashboardToken { configuration.dashboardToken = dashboardToken.isEmpty ? nil : dashboardToken }
            if let dashboardRefresh { configuration.dashboardRefresh = try ServerConfiguration.parseRefresh(dashboardRefresh, source: "--dashboard-refresh") }
            if !trustedProxies.isEmpty { configuration.trustedProxies = try TrustedProxies(parsing: trustedProxies.joined(separator: ","), source: "--trusted-proxy") }
            if let readTimeout { configuration.readTimeout = try ServerConfiguration.parseDuration(readTimeout, source: "--read-timeout") }
            if let logPayloads { configuration.payloadRate = try ServerConfiguration.parseRate(logPayloads, source: "--log-payloads") }
        } catch {
            throw ValidationError(error.description)
        }
        let levelText = logLevel ?? environment["VIGIL_LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: levelText.lowercased()) else {
            throw ValidationError("log level '\(levelText)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        var logger = Logger(label: "vigil")
        logger.logLevel = level
        let (app, services) = try buildApplication(configuration: configuration, logger: logger)
        // SIGHUP reloads every model folder; each model is swapped whole (SPEC §3).
        signal(SIGHUP, SIG_IGN)
        let reload = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "vigil.reload"))
        reload.setEventHandler {
            logger.notice("SIGHUP: reloading the model repository")
            services.repository.loadAll()
        }
        reload.resume()
        defer { reload.cancel() }
        // The application's own group stops the server first, then flushes the feature log.
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
    }
}
