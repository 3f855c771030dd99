import ArgumentParser
import CMallocTuning
import Dispatch
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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

    @Option(help: "PostgreSQL database shared by a fleet of replicas, postgres://user:password@host:port/database, instead of the SQLite file (VIGIL_STORE).")
    var store: String?

    @Option(name: .customLong("replica-id"), help: "Name this replica writes its feature windows under in a shared store (VIGIL_REPLICA_ID; default the host name).")
    var replicaID: String?

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

    @Option(name: .customLong("alertmanager-url"), help: "Alertmanager to send alerts into through its API (/api/v2/alerts), as Prometheus does; repeatable (VIGIL_ALERTMANAGER_URL, comma-separated).")
    var alertmanagerURLs: [String] = []

    @Option(name: .customLong("idle-timeout"), help: "Close keepalive connections idle this long; keep it above a proxy's upstream keepalive (VIGIL_IDLE_TIMEOUT; default 75s).")
    var idleTimeout: String?

    @Option(name: .customLong("request-timeout"), help: "Close a connection whose request body has not arrived this long after its head, however slowly it trickles (VIGIL_REQUEST_TIMEOUT; default 60s).")
    var requestTimeout: String?

    @Option(name: .customLong("shutdown-timeout"), help: "On SIGTERM, wait this long for in-flight requests before cancelling them (VIGIL_SHUTDOWN_TIMEOUT; default 30s).")
    var shutdownTimeout: String?

    @Option(name: .customLong("access-log"), help: "Log every request with its client address (VIGIL_ACCESS_LOG; default false).")
    var accessLog: Bool?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (VIGIL_LOG_LEVEL; default info).")
    var logLevel: String?

    /// The flags given, by setting name; `ServerConfiguration` parses them like their variables.
    var flags: [String: String] {
        let values: [String: String?] = [
            "host": host, "port": port.map(String.init), "models": models, "base-path": basePath, "admin-token": adminToken,
            "body-limit": bodyLimit, "strict-readiness": strictReadiness.map(String.init), "db": db,
            "store": store, "replica-id": replicaID,
            "feature-log": featureLog.map(String.init), "flush-interval": flushInterval, "retention": retention, "window": window,
            "log-payloads": logPayloads, "drift-interval": driftInterval, "alert-for": alertFor.map(String.init),
            "alert-webhook": Self.list(alertWebhooks), "slack-webhook": Self.list(slackWebhooks), "alertmanager-url": Self.list(alertmanagerURLs),
            "external-url": externalURL, "read-timeout": readTimeout, "dashboard-token": dashboardToken, "dashboard-refresh": dashboardRefresh,
            "trusted-proxy": Self.list(trustedProxies), "idle-timeout": idleTimeout, "request-timeout": requestTimeout,
            "shutdown-timeout": shutdownTimeout,
            "access-log": accessLog.map(String.init), "log-level": logLevel,
        ]
        return values.compactMapValues { $0 }
    }

    static func list(_ values: [String]) -> String? {
        values.isEmpty ? nil : values.joined(separator: ",")
    }

    func run() async throws {
        // Batch buffers stay in the heap instead of being mmap'd and page-faulted in per request.
        vigil_keep_freed_memory()
        let configuration: ServerConfiguration
        do throws(ConfigurationError) {
            configuration = try ServerConfiguration(environment: ProcessInfo.processInfo.environment, flags: flags)
        } catch {
            throw ValidationError(error.description)
        }
        var logger = Logger(label: "vigil") { label in StandardErrorLogHandler(label: label) }
        logger.logLevel = configuration.logLevel
        let (app, services) = try buildApplication(configuration: configuration, logger: logger)
        // Every model has loaded: the code that did it goes back to the page cache, a second after the start, off its path.
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + .seconds(1)) { StartupCode.pageOut() }
        // SIGHUP reloads every model folder; each model is swapped whole (SPEC §3).
        signal(SIGHUP, SIG_IGN)
        let reload = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "vigil.reload"))
        reload.setEventHandler {
            logger.notice("SIGHUP: reloading the model repository")
            services.repository.loadAll()
            StartupCode.pageOut()
        }
        reload.resume()
        defer { reload.cancel() }
        // The application's own group stops the server first, then flushes the feature log.
        let group = ServiceGroup(
            configuration: Self.groupConfiguration(application: app, shutdownTimeout: configuration.shutdownTimeout, logger: logger)
        )
        try await group.run()
    }

    /// SIGTERM and SIGINT start a graceful shutdown; past `shutdownTimeout` what is still running is
    /// cancelled (the feature-log writer still makes its final flush when cancelled).
    /// The service is named rather than described: a service's name is otherwise `"\(service)"`, which
    /// prints the whole application through reflection before the server starts.
    static func groupConfiguration(application: some Service, shutdownTimeout: Duration, logger: Logger) -> ServiceGroupConfiguration {
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: application, serviceName: "vigil")], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = shutdownTimeout
        return configuration
    }
}
