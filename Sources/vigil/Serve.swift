import ArgumentParser
import Dispatch
import FoundationEssentials
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals
import VigilServer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve every model folder in the model repository.",
        discussion: """
            Every setting is a flag, --flag value or --flag=value, and a VIGIL_* environment variable; \
            a flag wins over its variable.

            \(ServerConfiguration.settingsHelp)
            """
    )

    /// The settings, read from `ServerConfiguration.settings` rather than declared one by one here.
    @Argument(parsing: .allUnrecognized, help: .hidden)
    var arguments: [String] = []

    func run() async throws {
        let configuration: ServerConfiguration
        do throws(ConfigurationError) {
            let flags = try ServerConfiguration.flags(fromArguments: arguments)
            configuration = try ServerConfiguration(environment: ProcessInfo.processInfo.environment, flags: flags)
        } catch {
            throw ValidationError(error.description)
        }
        var logger = Logger(label: "vigil") { label in StandardErrorLogHandler(label: label) }
        logger.logLevel = configuration.logLevel
        ProcessMemory.keepFreedBlocks()
        let (app, services) = try buildApplication(configuration: configuration, logger: logger)
        // Every model has loaded: the code that did it goes back to the page cache, a second after the start, off its path.
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + .seconds(1)) { ProcessMemory.pageOutStartupCode() }
        // SIGHUP reloads every model folder; each model is swapped whole (SPEC §3).
        signal(SIGHUP, SIG_IGN)
        let reload = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "vigil.reload"))
        reload.setEventHandler {
            logger.notice("SIGHUP: reloading the model repository")
            services.repository.loadAll()
            ProcessMemory.pageOutStartupCode()
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
    /// The services are named rather than described: a service's name is otherwise `"\(service)"`,
    /// which prints the whole application through reflection before the server starts.
    static func groupConfiguration(application: some Service, shutdownTimeout: Duration, logger: Logger) -> ServiceGroupConfiguration {
        var configuration = ServiceGroupConfiguration(
            services: [
                .init(service: application, serviceName: "vigil"),
                .init(service: FreedMemoryTrimmer(), serviceName: "freed-memory-trimmer"),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = shutdownTimeout
        return configuration
    }
}
