import Dispatch
public import FoundationEssentials
public import Logging
public import Metrics
public import ServiceLifecycle
import VigilStats
public import VigilStore

/// Flushes the feature log to the store (SQLite, or a fleet's PostgreSQL) every `interval`, in one
/// transaction, off the request path.
///
/// On graceful shutdown it flushes once more, so nothing accepted is lost. When a write fails
/// (locked, read-only, disk full) the counts go back into memory, bounded, and are retried at
/// the next flush; the failure is logged and counted in `vigil_feature_log_write_failures_total`.
public struct FeatureLogWriter: Service {
    public let log: FeatureLog
    public let store: Store
    public var windows: any FeatureWindowStore { store.windows }
    public var profiles: any ReferenceProfileStore { store.profiles }
    public let interval: Duration
    /// Windows older than this are deleted; nil keeps everything.
    public let retention: Duration?
    let logger: Logger
    let metricsFactory: (any MetricsFactory)?
    private let queue = DispatchQueue(label: "vigil.featurelog.writer")

    /// A writer into one SQLite file.
    public init(
        log: FeatureLog, database: Database, interval: Duration = .seconds(1), retention: Duration? = .seconds(30 * 86_400),
        logger: Logger = Logger(label: "vigil.featurelog"), metricsFactory: (any MetricsFactory)? = nil
    ) {
        self.init(
            log: log, store: .sqlite(database), interval: interval, retention: retention, logger: logger, metricsFactory: metricsFactory)
    }

    public init(
        log: FeatureLog, store: Store, interval: Duration = .seconds(1), retention: Duration? = .seconds(30 * 86_400),
        logger: Logger = Logger(label: "vigil.featurelog"), metricsFactory: (any MetricsFactory)? = nil
    ) {
        self.log = log
        self.store = store
        self.interval = interval
        self.retention = retention
        self.logger = logger
        self.metricsFactory = metricsFactory
    }

    public func run() async throws {
        var flushes = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            // Sleeping is cut short by shutdown; the final flush below then runs.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            await flushOnQueue()
            flushes += 1
            if flushes % 60 == 0 { await onQueue { self.applyRetention() } }
        }
        await flushOnQueue()
        logger.info("feature log flushed for shutdown")
    }

    /// The outcome of one flush.
    public struct FlushResult: Sendable, Equatable {
        public var windowsWritten = 0
        public var failures = 0
    }

    /// Writes everything accumulated so far. Safe to call from tests and on shutdown.
    @discardableResult
    public func flush() -> FlushResult {
        var result = FlushResult()
        let (accumulators, pendingProfiles) = log.takeWork()
        var unsaved: [ReferenceProfile] = []
        for profile in pendingProfiles {
            do {
                try profiles.save(profile)
            } catch {
                unsaved.append(profile)
                fail(error, what: "reference profile")
                result.failures += 1
            }
        }
        if !unsaved.isEmpty { log.returnProfiles(unsaved) }
        var drainedByAccumulator: [(FeatureAccumulator, FeatureAccumulator.Drained)] = []
        var windowsByStart: [Int64: [ColumnKey: ColumnWindow]] = [:]
        var payloads: [PayloadSample] = []
        var generator = SplitMix64(seed: UInt64.random(in: 0...UInt64.max))
        for accumulator in accumulators {
            var drained = accumulator.drain()
            if drained.droppedRows > 0 {
                counter("vigil_feature_log_dropped_rows_total", model: accumulator.model).increment(by: Int(drained.droppedRows))
                logger.warning(
                    "feature log dropped old windows while the database was unavailable",
                    metadata: ["model": "\(accumulator.model)", "rows": "\(drained.droppedRows)"])
                drained.droppedRows = 0
            }
            guard !drained.isEmpty else { continue }
            drainedByAccumulator.append((accumulator, drained))
            // A reloaded model's old and new accumulators may share keys: their counts add.
            for (start, columns) in drained.windows {
                for (key, window) in columns {
                    if var existing = windowsByStart[start]?[key] {
                        existing.merge(window, using: &generator)
                        windowsByStart[start]?[key] = existing
                    } else {
                        windowsByStart[start, default: [:]][key] = window
                    }
                }
            }
            payloads += drained.payloads
        }
        guard !drainedByAccumulator.isEmpty else { return result }
        do {
            // One transaction for every model: a crash leaves all of a flush or none of it.
            try windows.apply(windowsByStart, payloads: payloads)
            result.windowsWritten = windowsByStart.values.reduce(0) { $0 + $1.count }
        } catch {
            for (accumulator, drained) in drainedByAccumulator {
                accumulator.restore(drained)
                log.returnRetired(accumulator)
            }
            fail(error, what: "feature windows")
            result.failures += 1
        }
        return result
    }

    private func fail(_ error: any Error, what: String) {
        counter("vigil_feature_log_write_failures_total", model: nil).increment()
        logger.error("cannot write \(what); keeping it in memory to retry", metadata: ["error": "\(error)"])
    }

    private func counter(_ label: String, model: String?) -> Counter {
        let dimensions = model.map { [("model", $0)] } ?? []
        if let metricsFactory { return Counter(label: label, dimensions: dimensions, factory: metricsFactory) }
        return Counter(label: label, dimensions: dimensions)
    }

    /// Deletes windows, payload samples and drift reports past the retention period.
    func applyRetention() {
        guard let retention else { return }
        let cutoff = Int64(Date().timeIntervalSince1970) - retention.components.seconds
        do {
            try windows.deleteWindows(before: cutoff)
            try store.reports.deleteReports(before: Double(cutoff))
        } catch {
            fail(error, what: "retention delete")
        }
    }

    private func flushOnQueue() async {
        await onQueue { _ = self.flush() }
    }

    /// Store calls block, so they run on the writer's own queue rather than a cooperative thread.
    private func onQueue(_ work: @escaping @Sendable () -> Void) async {
        await runBlocking(on: queue, work)
    }
}

extension FeatureLogWriter: NamedService {
    public static var serviceName: String { "FeatureLogWriter" }
}
