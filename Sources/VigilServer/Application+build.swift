public import Hummingbird
public import Logging
import Foundation
public import VigilMonitor
import VigilStore

/// The parts of a running server that tests and the command line reach into.
public struct VigilServices: Sendable {
    public let repository: ModelRepository
    public let metrics: ServerMetrics
    /// The feature log and its writer, unless feature logging is off.
    public let featureLog: FeatureLog?
    public let writer: FeatureLogWriter?
}

/// Builds the Vigil HTTP application: opens the database, loads the model repository and wires
/// every route, middleware and background service. The writer runs inside the application's
/// service group, after the server, so on shutdown the server drains first and the writer flushes last.
public func buildApplication(configuration: ServerConfiguration, logger: Logger = Logger(label: "vigil")) throws -> (some ApplicationProtocol, VigilServices) {
    let metrics = ServerMetrics()
    var featureLog: FeatureLog?
    var writer: FeatureLogWriter?
    if configuration.featureLogging {
        let database: Database
        do {
            database = try Database(path: configuration.databasePath, busyTimeout: configuration.busyTimeout)
        } catch {
            throw ConfigurationError("cannot open the database \(configuration.databasePath): \(error)")
        }
        var logConfiguration = FeatureLogConfiguration()
        logConfiguration.windowSeconds = max(configuration.window.components.seconds, 1)
        logConfiguration.payloadRate = configuration.payloadRate
        let log = FeatureLog(configuration: logConfiguration, logger: logger)
        featureLog = log
        writer = FeatureLogWriter(log: log, database: database, interval: configuration.flushInterval, retention: configuration.retention,
                                  logger: logger, metricsFactory: metrics.factory)
    }
    let logForLoads = featureLog
    let repository = ModelRepository(directory: configuration.modelsDirectory, logger: logger) { loaded in
        logForLoads?.register(loaded)
    }
    repository.loadAll()
    let router = buildRouter(configuration: configuration, repository: repository, metrics: metrics, featureLog: featureLog)
    let app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "vigil"),
        services: writer.map { [$0] } ?? [],
        logger: logger
    )
    return (app, VigilServices(repository: repository, metrics: metrics, featureLog: featureLog, writer: writer))
}

/// The router with every endpoint of SPEC §4 that this build serves.
public func buildRouter(configuration: ServerConfiguration, repository: ModelRepository, metrics: ServerMetrics, featureLog: FeatureLog? = nil) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    // Outermost first: metrics see the final status, errors become JSON before compression.
    router.add(middleware: RequestMetricsMiddleware(metrics: metrics, repository: repository))
    router.add(middleware: ResponseCompressionMiddleware(threshold: configuration.compressionThreshold))
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: RequestDecompressionMiddleware(bodyLimit: configuration.bodyLimit))

    let predictor = Predictor(repository: repository, featureLog: featureLog)
    let root = router.group(RouterPath(configuration.basePath))
    let v2 = root.group("v2")
    HealthController(repository: repository, strictReadiness: configuration.strictReadiness).addRoutes(to: v2)
    InferenceController(repository: repository, predictor: predictor, bodyLimit: configuration.bodyLimit).addRoutes(to: v2)
    RepositoryController(repository: repository).addRoutes(
        to: v2.group("repository").add(middleware: AdminAuthMiddleware(token: configuration.adminToken))
    )
    PredictController(repository: repository, predictor: predictor, bodyLimit: configuration.bodyLimit).addRoutes(to: root.group("v1"))
    MetricsController(metrics: metrics).addRoutes(to: root)
    return router
}
