import FoundationEssentials
public import Hummingbird
public import Logging
import NIOCore
import ServiceLifecycle
import VigilModels
public import VigilMonitor
public import VigilStore

/// The parts of a running server that tests and the command line reach into.
public struct VigilServices: Sendable {
    public let repository: ModelRepository
    public let metrics: ServerMetrics
    /// The feature log and its writer, unless feature logging is off.
    public let featureLog: FeatureLog?
    public let writer: FeatureLogWriter?
    /// The drift monitor and the notification outbox, unless feature logging is off.
    public let monitor: DriftMonitor?
    public let delivery: OutboxDelivery?
}

/// Builds the Vigil HTTP application: opens the database (or keeps trying, if it cannot), loads the model repository and wires
/// every route, middleware and background service. The writer runs inside the application's
/// service group, after the server, so on shutdown the server drains first and the writer flushes last.
public func buildApplication(configuration: ServerConfiguration, logger: Logger = Logger(label: "vigil")) throws -> (
    some ApplicationProtocol, VigilServices
) {
    let metrics = ServerMetrics()
    var featureLog: FeatureLog?
    var writer: FeatureLogWriter?
    var monitor: DriftMonitor?
    var delivery: OutboxDelivery?
    var store: Store?
    if configuration.featureLogging {
        let opened = try openStore(configuration: configuration, logger: logger)
        store = opened
        var logConfiguration = FeatureLogConfiguration()
        logConfiguration.windowSeconds = max(configuration.window.components.seconds, 1)
        logConfiguration.payloadRate = configuration.payloadRate
        let log = FeatureLog(configuration: logConfiguration, logger: logger)
        featureLog = log
        writer = FeatureLogWriter(
            log: log, store: opened, interval: configuration.flushInterval, retention: configuration.retention,
            logger: logger, metricsFactory: metrics.factory)
        for url in configuration.alertWebhooks where url.contains("/api/v2/alerts") {
            logger.warning(
                "--alert-webhook sends Alertmanager's webhook format, which Alertmanager's own API rejects; use --alertmanager-url for it",
                metadata: ["host": "\(URL(string: url)?.host ?? "?")"])
        }
        let receivers =
            configuration.alertWebhooks.map { AlertRouting.Receiver(url: $0, format: .alertmanager) }
            + configuration.slackWebhooks.map { AlertRouting.Receiver(url: $0, format: .slack) }
            + configuration.alertmanagerURLs.map { AlertRouting.Receiver(url: $0, format: .alertmanagerAPI) }
        monitor = DriftMonitor(
            featureLog: log, store: opened, alertFor: configuration.alertFor, interval: configuration.driftInterval, receivers: receivers,
            externalURL: configuration.linkBase,
            logger: logger, metricsFactory: metrics.factory)
        delivery = OutboxDelivery(outbox: opened.outbox, interval: configuration.outboxInterval, logger: logger)
    }
    let logForLoads = featureLog
    let repository = ModelRepository(directory: configuration.modelsDirectory, logger: logger) { loaded in
        logForLoads?.register(loaded)
    }
    repository.loadAll()
    let queue = store.map { StoreQueue(store: $0, timeout: configuration.readTimeout) }
    let router = buildRouter(configuration: configuration, repository: repository, metrics: metrics, featureLog: featureLog, store: queue)
    let app = Application(
        router: router,
        // Idle keepalive connections close after --idle-timeout, so they cannot pile up behind a proxy;
        // a body still trickling in --request-timeout after its head closes its connection too.
        server: .http1(
            configuration: .init(
                additionalChannelHandlers: [RequestBodyDeadline(limit: TimeAmount(configuration.requestTimeout))],
                idleTimeout: TimeAmount(configuration.idleTimeout))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "vigil"),
        // Shut down in reverse after the server: delivery, then the monitor, then the writer's final flush.
        services: ([writer, monitor, delivery] as [(any Service)?]).compactMap { $0 },
        logger: logger
    )
    return (
        app,
        VigilServices(
            repository: repository, metrics: metrics, featureLog: featureLog, writer: writer, monitor: monitor, delivery: delivery)
    )
}

/// The store of `configuration`: the fleet's PostgreSQL database with `--store`, else the SQLite file.
///
/// A SQLite file that cannot be opened (a read-only or full disk) stops no model: the server starts,
/// the feature log keeps its counts in memory, and every flush tries the file again. A PostgreSQL
/// server that cannot be reached at start stops the start with the reason, since a replica that
/// cannot join its fleet's view would serve a view of its own; once started, the replica rides out
/// an outage the same way as SQLite.
func openStore(configuration: ServerConfiguration, logger: Logger) throws -> Store {
    if let address = configuration.store {
        let replica = configuration.replicaID ?? ProcessHost.name
        let database = try FleetDatabase(address: address, replica: replica, timeout: configuration.busyTimeout, logger: logger)
        logger.info("store: PostgreSQL", metadata: ["address": "\(address)", "replica": "\(replica)"])
        return .postgres(database)
    }
    let opened = Database(
        openingLater: configuration.databasePath, busyTimeout: configuration.busyTimeout, readTimeout: configuration.readTimeout)
    do {
        _ = try opened.withConnection { _ in }
    } catch {
        logger.error(
            "cannot open the database; serving without it and trying again at every flush",
            metadata: ["path": "\(configuration.databasePath)", "error": "\(error)"])
    }
    return .sqlite(opened)
}

/// The router with every endpoint of SPEC §4 that this build serves.
public func buildRouter(
    configuration: ServerConfiguration, repository: ModelRepository, metrics: ServerMetrics, featureLog: FeatureLog? = nil,
    store: StoreQueue? = nil
) -> Router<VigilRequestContext> {
    // HEAD is answered wherever GET is, with the GET's headers and no body (RFC 9110 §9.3.2):
    // without this option Hummingbird's router answered every HEAD 404.
    let router = Router(context: VigilRequestContext.self, options: .autoGenerateHeadEndpoints)
    // Outermost first: metrics see the final status, errors become JSON before compression.
    if configuration.accessLog { router.add(middleware: AccessLogMiddleware(trustedProxies: configuration.trustedProxies)) }
    router.add(
        middleware: ServingMiddleware(
            metrics: RequestMetricsRecorder(metrics: metrics, repository: repository),
            compression: ResponseCompression(threshold: configuration.compressionThreshold),
            decompression: RequestDecompression(bodyLimit: configuration.bodyLimit)))

    let predictor = Predictor()
    let root = router.group(RouterPath(configuration.basePath))
    let v2 = root.group("v2")
    HealthController(repository: repository, strictReadiness: configuration.strictReadiness).addRoutes(to: v2)
    InferenceController<VigilRequestContext>(repository: repository, predictor: predictor, bodyLimit: configuration.bodyLimit).addRoutes(
        to: v2)
    RepositoryController(repository: repository).addRoutes(
        to: v2.group("repository").add(middleware: AdminAuthMiddleware(token: configuration.adminToken))
    )
    let v1 = root.group("v1")
    PredictController(repository: repository, predictor: predictor, bodyLimit: configuration.bodyLimit).addRoutes(to: v1)
    DriftController(repository: repository, store: store, featureLog: featureLog).addRoutes(
        to: v1, admin: v1.group("alerts/{id}").add(middleware: AdminAuthMiddleware(token: configuration.adminToken)))
    MetricsController(metrics: metrics, repository: repository, featureLog: featureLog, store: store?.store).addRoutes(to: root)
    let links = LinkRoot(basePath: configuration.basePath, trustedProxies: configuration.trustedProxies)
    OpenAPIController(links: links).addRoutes(to: root)
    DashboardController(
        data: DashboardData(repository: repository, featureLog: featureLog, metrics: metrics, store: store),
        access: DashboardAccess(token: configuration.dashboardToken, logins: DashboardLogins(), links: links),
        refresh: configuration.dashboardRefresh.map { max(Int($0.components.seconds), 1) },
        datasetShare: DriftSettings().datasetShare
    ).addRoutes(to: root)
    return router
}
