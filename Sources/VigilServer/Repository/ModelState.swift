public import VigilModels
public import VigilMonitor

/// One version of a model as the repository knows it.
public enum ModelState: Sendable {
    case ready(LoadedModel)
    /// Loading failed; the message says why.
    case failed(String)
    /// Unloaded by an admin request.
    case unavailable
}

/// A named model and its versions; `defaultVersion` is the highest version folder.
public struct ModelEntry: Sendable {
    public let name: String
    public var versions: [Int: ModelState]
    /// Versions whose last reload failed while their previous load goes on serving: why it failed.
    public var reloadErrors: [Int: String] = [:]
    /// Where the model's predictions are counted for drift (the feature log's accumulator, made when
    /// the default version loads); nil when the model is not monitored. Kept here so that a
    /// prediction finds it with its model, under the one repository lock.
    public var accumulator: FeatureAccumulator?

    public var defaultVersion: Int? { versions.keys.max() }

    /// The state of `version`, or of the default version when nil.
    public func state(version: Int?) -> ModelState? {
        guard let version = version ?? defaultVersion else { return nil }
        return versions[version]
    }

    /// Ready when every version is ready.
    public var isReady: Bool {
        !versions.isEmpty && versions.values.allSatisfy { if case .ready = $0 { true } else { false } }
    }
}
