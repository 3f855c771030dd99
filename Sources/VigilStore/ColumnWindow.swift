public import VigilStats

/// Which column of which model a window belongs to.
public struct ColumnKey: Hashable, Sendable, Codable {
    public var model: String
    public var role: ColumnRole
    public var feature: String

    public init(model: String, role: ColumnRole, feature: String) {
        self.model = model
        self.role = role
        self.feature = feature
    }
}

/// What one column received in one window: plain counts and a mergeable sample, so windows from
/// many flushes, processes or replicas add up.
public struct ColumnWindow: Sendable, Equatable {
    /// The fingerprint of the reference profile the bins come from.
    public var profile: String
    public var moments = NumericMoments()
    /// Counts per slot of the profile's `QuantileBins` (underflow, bins, overflow).
    public var slotCounts: [Int64]
    /// Counts per category; unseen categories past the cap are counted under `ColumnWindow.otherCategory`.
    public var categories: [String: Int64] = [:]
    public var sample: ReservoirSample

    /// The category name unseen categories past the cap are counted under.
    public static let otherCategory = "__other__"

    public init(profile: String, slotCount: Int, sampleCapacity: Int) {
        self.profile = profile
        self.slotCounts = [Int64](repeating: 0, count: slotCount)
        self.sample = ReservoirSample(capacity: sampleCapacity)
    }

    public init(profile: String, moments: NumericMoments, slotCounts: [Int64], categories: [String: Int64], sample: ReservoirSample) {
        self.profile = profile
        self.moments = moments
        self.slotCounts = slotCounts
        self.categories = categories
        self.sample = sample
    }

    /// Adds `other`'s counts and sample into this window.
    public mutating func merge(_ other: ColumnWindow, using generator: inout SplitMix64) {
        moments.merge(other.moments)
        if slotCounts.count == other.slotCounts.count {
            for index in slotCounts.indices { slotCounts[index] += other.slotCounts[index] }
        } else if slotCounts.allSatisfy({ $0 == 0 }) {
            slotCounts = other.slotCounts
        }
        for (category, count) in other.categories { categories[category, default: 0] += count }
        sample = sample.merged(with: other.sample, using: &generator)
        profile = other.profile
    }
}

extension ColumnWindow {
    /// Counts one numeric value: moments, its bin slot (when binned) and the sample. NaN is missing.
    public mutating func add(number value: Double, bins: QuantileBins?, using generator: inout SplitMix64) {
        moments.add(value)
        if let slot = bins?.slot(of: value), slot < slotCounts.count { slotCounts[slot] += 1 }
        sample.add(value, using: &generator)
    }

    /// Counts one category (nil is missing). Names the reference knows are always kept; unseen
    /// names are kept up to `unseenCap` per window, the rest counted under `otherCategory`.
    public mutating func add(category name: String?, known: Set<String>, unseenCap: Int) {
        guard let name else {
            moments.missing += 1
            return
        }
        moments.count += 1
        if known.contains(name) || categories[name] != nil {
            categories[name, default: 0] += 1
        } else if unseenCount(known: known) < unseenCap {
            categories[name] = 1
        } else {
            categories[Self.otherCategory, default: 0] += 1
        }
    }

    /// Unseen names already kept; only asked when a new name arrives.
    private func unseenCount(known: Set<String>) -> Int {
        categories.keys.reduce(0) { count, name in known.contains(name) || name == Self.otherCategory ? count : count + 1 }
    }
}
