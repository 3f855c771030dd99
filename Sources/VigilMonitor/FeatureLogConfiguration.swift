/// How feature logging counts, samples and keeps data (SPEC §5).
public struct FeatureLogConfiguration: Sendable {
    /// The length of a window, in seconds (default one minute).
    public var windowSeconds: Int64 = 60
    /// Raw values kept per column per window, for exact tests.
    public var sampleCapacity = 1000
    /// Unseen categories kept by name per column per window; more are counted under `__other__`.
    public var unseenCategoryCap = 100
    /// The share of request rows kept whole in `payload_samples` (0 turns payload logging off).
    public var payloadRate = 0.0
    /// Payload rows held in memory between flushes at most.
    public var maxPendingPayloads = 10_000
    /// Windows held in memory per model while the database cannot be written; older ones are dropped.
    public var maxPendingWindows = 1440

    public init() {}
}
