public import FoundationEssentials
public import Logging
import Synchronization
public import VigilModels
public import VigilStore

/// Every model's accumulator, fed by the request path and drained by `FeatureLogWriter`.
///
/// Registering a (re)loaded model builds its reference profile and swaps in a fresh accumulator;
/// the old one is kept until the writer has drained it, so a reload loses nothing.
public final class FeatureLog: Sendable {
    public let configuration: FeatureLogConfiguration
    private let state = Mutex<State>(State())
    private let logger: Logger

    struct State: Sendable {
        var accumulators: [String: FeatureAccumulator] = [:]
        var configurations: [String: ModelConfiguration] = [:]
        var retired: [FeatureAccumulator] = []
        var unsavedProfiles: [ReferenceProfile] = []
        /// Why each model that serves without monitoring is not monitored.
        var notMonitored: [String: String] = [:]
    }

    public init(configuration: FeatureLogConfiguration = FeatureLogConfiguration(), logger: Logger = Logger(label: "vigil.featurelog")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Builds `loaded`'s reference profile and starts counting for it, and returns the accumulator
    /// its predictions go to. A model with no reference is not logged (nil).
    @discardableResult
    public func register(_ loaded: LoadedModel) -> FeatureAccumulator? {
        guard let profile = ReferenceProfile.build(from: loaded) else {
            let reason = loaded.monitoringIssue ?? "the model folder has no reference.csv"
            logger.warning("model serves but is not monitored", metadata: ["model": "\(loaded.name)", "reason": "\(reason)"])
            state.withLock { state in
                if let old = state.accumulators.removeValue(forKey: loaded.name) { state.retired.append(old) }
                state.notMonitored[loaded.name] = reason
            }
            return nil
        }
        let accumulator = FeatureAccumulator(profile: profile, configuration: configuration)
        state.withLock { state in
            if let old = state.accumulators[loaded.name] { state.retired.append(old) }
            state.accumulators[loaded.name] = accumulator
            state.configurations[loaded.name] = loaded.configuration
            state.unsavedProfiles.append(profile)
            state.notMonitored[loaded.name] = nil
        }
        return accumulator
    }

    /// Why `model` is not monitored, or nil when it is (or was never registered).
    public func notMonitoredReason(model: String) -> String? {
        state.withLock { $0.notMonitored[model] }
    }

    /// Every logged model's reference profile and `vigil.json` settings, for the drift monitor.
    public func monitoredModels() -> [(profile: ReferenceProfile, configuration: ModelConfiguration)] {
        state.withLock { state in
            state.accumulators.values.sorted { $0.model < $1.model }.map { accumulator in
                (accumulator.profile, state.configurations[accumulator.model] ?? ModelConfiguration())
            }
        }
    }

    /// The accumulator of `model`, if it is logged.
    public func accumulator(for model: String) -> FeatureAccumulator? {
        state.withLock { $0.accumulators[model] }
    }

    /// What each logged model holds in memory, not yet written: the feature-log queue.
    public func pendingByModel() -> [(model: String, rows: Int64, windows: Int)] {
        let accumulators = state.withLock { Array($0.accumulators.values) }
        return accumulators.map { accumulator in
            let (rows, windows) = accumulator.pending
            return (accumulator.model, rows, windows)
        }
    }

    /// The accumulators to drain (live and retired) and the profiles not yet stored; retired ones are let go.
    func takeWork() -> (accumulators: [FeatureAccumulator], profiles: [ReferenceProfile]) {
        state.withLock { state in
            let work = (Array(state.accumulators.values) + state.retired, state.unsavedProfiles)
            state.retired = []
            state.unsavedProfiles = []
            return work
        }
    }

    /// Puts back profiles that could not be stored, to try again at the next flush.
    func returnProfiles(_ profiles: [ReferenceProfile]) {
        state.withLock { $0.unsavedProfiles = profiles + $0.unsavedProfiles }
    }

    /// Retired accumulators whose windows could not be written go back into the queue.
    func returnRetired(_ accumulator: FeatureAccumulator) {
        state.withLock { state in
            if state.accumulators[accumulator.model] !== accumulator { state.retired.append(accumulator) }
        }
    }
}
