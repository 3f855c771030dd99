/// Fixed bins whose edges are quantiles of a reference sample, plus underflow and overflow bins.
///
/// For `binCount` bins the edges are the reference's 0, 1/k, …, 1 quantiles with numpy's default
/// ('linear') interpolation, repeated edges merged. A value `v` falls in bin `i` when
/// `edges[i] ≤ v < edges[i+1]`, the reference maximum in the last bin, values below the minimum
/// in underflow and above the maximum in overflow. Counts are laid out
/// `[underflow, bin 0, …, bin k−1, overflow]`, so histograms from anywhere add up bin for bin.
public struct QuantileBins: Sendable, Equatable, Codable {
    public let edges: [Double]

    /// The number of slots in a count array: the inner bins plus underflow and overflow.
    public var slotCount: Int { edges.count + 1 }

    public init(edges: [Double]) {
        precondition(edges.count >= 2, "bins need at least two edges")
        self.edges = edges
    }

    /// Edges from the non-NaN values of `reference`; nil when there are none.
    public init?(reference: [Double], binCount: Int = 10) {
        let sorted = reference.filter { !$0.isNaN }.sorted()
        guard !sorted.isEmpty, binCount >= 1 else { return nil }
        var edges: [Double] = []
        for i in 0...binCount {
            let edge = quantile(sorted: sorted, Double(i) / Double(binCount))
            if edges.last != edge { edges.append(edge) }
        }
        // A constant reference still gets one bin, [c, c].
        if edges.count == 1 { edges.append(edges[0]) }
        self.edges = edges
    }

    /// The slot of `value` in a count array; NaN has no slot (count it as missing).
    @inlinable
    public func slot(of value: Double) -> Int? {
        if value.isNaN { return nil }
        let last = edges.count - 1
        if value < edges[0] { return 0 }
        if value > edges[last] { return edges.count }
        // Binary search for the last edge ≤ value, capped at the last inner bin.
        var low = 0
        var high = last
        while low < high {
            let middle = (low + high + 1) / 2
            if edges[middle] <= value { low = middle } else { high = middle - 1 }
        }
        return min(low, last - 1) + 1
    }

    /// Counts of `values` per slot, NaN left out.
    public func counts(_ values: [Double]) -> [Double] {
        var counts = [Double](repeating: 0, count: slotCount)
        for value in values {
            if let slot = slot(of: value) { counts[slot] += 1 }
        }
        return counts
    }
}

/// The `p` quantile of sorted values with linear interpolation between order statistics (numpy's default).
public func quantile(sorted: [Double], _ p: Double) -> Double {
    precondition(!sorted.isEmpty)
    let position = Double(sorted.count - 1) * p
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, sorted.count - 1)
    let fraction = position - Double(lower)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
}
