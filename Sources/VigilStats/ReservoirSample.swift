/// A uniform random sample of at most `capacity` values from a stream (Vitter's algorithm R).
///
/// `seen` counts every value offered, so two reservoirs merge into a uniform sample of their union.
public struct ReservoirSample: Sendable, Equatable, Codable {
    public let capacity: Int
    public private(set) var seen: Int64 = 0
    public private(set) var values: [Double] = []

    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    public init(capacity: Int, seen: Int64, values: [Double]) {
        self.capacity = capacity
        self.seen = seen
        self.values = Array(values.prefix(capacity))
    }

    /// Offers one value; NaN is not sampled (it is a missing value, counted elsewhere).
    public mutating func add(_ value: Double, using generator: inout some RandomNumberGenerator) {
        guard !value.isNaN else { return }
        seen += 1
        if values.count < capacity {
            values.append(value)
        } else {
            let slot = Int64.random(in: 0..<seen, using: &generator)
            if slot < Int64(capacity) { values[Int(slot)] = value }
        }
    }

    /// A uniform sample of both streams together.
    ///
    /// How many survivors come from each stream is drawn as a uniform sample of the union would have
    /// them (hypergeometric in the stream sizes); each stream's share is then a uniform subsample of
    /// its own reservoir, which is itself uniform.
    public func merged(with other: ReservoirSample, using generator: inout some RandomNumberGenerator) -> ReservoirSample {
        let capacity = max(self.capacity, other.capacity)
        let total = seen + other.seen
        if values.count + other.values.count <= capacity {
            return ReservoirSample(capacity: capacity, seen: total, values: values + other.values)
        }
        var remainingSelf = seen, remainingOther = other.seen
        var fromSelf = 0
        for _ in 0..<capacity {
            if Int64.random(in: 0..<(remainingSelf + remainingOther), using: &generator) < remainingSelf {
                fromSelf += 1
                remainingSelf -= 1
            } else {
                remainingOther -= 1
            }
        }
        fromSelf = min(fromSelf, values.count)
        let fromOther = min(capacity - fromSelf, other.values.count)
        let picked = Array(values.shuffled(using: &generator).prefix(fromSelf))
            + Array(other.values.shuffled(using: &generator).prefix(fromOther))
        return ReservoirSample(capacity: capacity, seen: total, values: picked)
    }
}

/// A small, fast, seedable generator (SplitMix64), so samples are reproducible in tests.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
