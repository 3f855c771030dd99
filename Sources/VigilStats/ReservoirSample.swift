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

    // The generator is concrete, not generic: these run per value on the request path and per
    // window in the monitor, where an unspecialised generic across modules costs several times more.

    /// Offers one value; NaN is not sampled (it is a missing value, counted elsewhere).
    public mutating func add(_ value: Double, using generator: inout SplitMix64) {
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
    public func merged(with other: ReservoirSample, using generator: inout SplitMix64) -> ReservoirSample {
        ReservoirSample.merging([self, other], using: &generator)
    }

    /// A uniform sample of all the streams together.
    ///
    /// How many survivors come from each stream is drawn as a uniform sample of the union would have
    /// them (multivariate hypergeometric in the stream sizes); each stream's share is then a uniform
    /// subsample of its own reservoir, which is itself uniform. One pass for any number of streams.
    /// `capacity` bounds the result; by default it is the largest capacity among the samples.
    public static func merging(_ samples: [ReservoirSample], capacity: Int? = nil, using generator: inout SplitMix64) -> ReservoirSample {
        let capacity = capacity ?? samples.map(\.capacity).max() ?? 1
        let total = samples.reduce(Int64(0)) { $0 + $1.seen }
        let kept = samples.reduce(0) { $0 + $1.values.count }
        if kept <= capacity {
            return ReservoirSample(capacity: capacity, seen: total, values: samples.flatMap(\.values))
        }
        var remaining = samples.map(\.seen)
        var left = total
        var picks = [Int](repeating: 0, count: samples.count)
        for _ in 0..<capacity where left > 0 {
            var draw = Int64.random(in: 0..<left, using: &generator)
            var stream = 0
            while draw >= remaining[stream] {
                draw -= remaining[stream]
                stream += 1
            }
            picks[stream] += 1
            remaining[stream] -= 1
            left -= 1
        }
        var values: [Double] = []
        values.reserveCapacity(capacity)
        for (sample, count) in zip(samples, picks) where count > 0 {
            var pool = sample.values
            let take = min(count, pool.count)
            // A partial Fisher–Yates shuffle: the first `take` entries become a uniform subsample.
            for index in 0..<take {
                let other = Int.random(in: index..<pool.count, using: &generator)
                pool.swapAt(index, other)
            }
            values.append(contentsOf: pool[0..<take])
        }
        return ReservoirSample(capacity: capacity, seen: total, values: values)
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
