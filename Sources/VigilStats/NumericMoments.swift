/// Count, missing count, min, max, sum and sum of squares of a stream of numbers; merging adds them.
public struct NumericMoments: Sendable, Equatable, Codable {
    public var count: Int64 = 0
    public var missing: Int64 = 0
    public var minimum = Double.infinity
    public var maximum = -Double.infinity
    public var sum = 0.0
    public var sumOfSquares = 0.0

    public init() {}

    /// Adds one value; NaN counts as missing.
    @inlinable
    public mutating func add(_ value: Double) {
        if value.isNaN {
            missing += 1
            return
        }
        count += 1
        if value < minimum { minimum = value }
        if value > maximum { maximum = value }
        sum += value
        sumOfSquares += value * value
    }

    public mutating func merge(_ other: NumericMoments) {
        count += other.count
        missing += other.missing
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
        sum += other.sum
        sumOfSquares += other.sumOfSquares
    }

    /// The mean of the non-missing values, or nil with none.
    public var mean: Double? { count > 0 ? sum / Double(count) : nil }

    /// The population standard deviation (ddof = 0), or nil with none.
    public var standardDeviation: Double? {
        guard let mean else { return nil }
        return Swift.max(sumOfSquares / Double(count) - mean * mean, 0).squareRoot()
    }
}
