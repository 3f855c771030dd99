public import Hummingbird
public import Logging

/// The parts of a running server that tests and the command line reach into.
public struct VigilServices: Sendable {
    public let repository: ModelRepository
    public let metrics: ServerMetrics
}

/// Builds the Vigil HTTP application: loads the model repository and wires every route and middleware.
public func buildApplication(configuration: ServerConfiguration, logger: Logger = Logger(label: "vigil")) -> (some ApplicationProtocol, VigilServices) {
    let repository = ModelRepository(directory: configuration.modelsDirectory, logger: logger)
    repository.loadAll()
    let metrics = ServerMetrics()
    let router = buildRouter(configuration: configuration, repository: repository, metrics: metrics)
    let app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "vigil"),
        logger: logger
    )
    return (app, VigilServices(repository: repository, metrics: metrics))
}

/// The router with every endpoint of SPEC §4 that this build serves.
public func buildRouter(configuration: ServerConfiguration, repository: ModelRepository, metrics: ServerMetrics) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    // Outermost first: metrics see the final status, errors become JSON before compression.
    router.add(middleware: RequestMetricsMiddleware(metrics: metrics, repository: repository))
    router.add(middleware: ResponseCompressionMiddleware(threshold: configuration.compressionThreshold))
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: RequestDecompressionMiddleware(bodyLimit: configuration.bodyLimit))

    let root = router.group(RouterPath(configuration.basePath))
    let v2 = root.group("v2")
    HealthController(repository: repository, strictReadiness: configuration.strictReadiness).addRoutes(to: v2)
    InferenceController(repository: repository, bodyLimit: configuration.bodyLimit).addRoutes(to: v2)
    RepositoryController(repository: repository).addRoutes(
        to: v2.group("repository").add(middleware: AdminAuthMiddleware(token: configuration.adminToken))
    )
    PredictController(repository: repository, bodyLimit: configuration.bodyLimit).addRoutes(to: root.group("v1"))
    MetricsController(metrics: metrics).addRoutes(to: root)
    return router
}
