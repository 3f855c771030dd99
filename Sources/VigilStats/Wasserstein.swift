/// The first Wasserstein (earth mover's) distance between two samples: `∫ |F_u(t) − F_v(t)| dt`,
/// matching `scipy.stats.wasserstein_distance(u, v)`. NaN values are dropped; nil for an empty sample.
public func wasserstein(_ u: [Double], _ v: [Double]) -> Double? {
    wasserstein(sortedU: u.filter { !$0.isNaN }.sorted(), sortedV: v.filter { !$0.isNaN }.sorted())
}

/// Wasserstein-1 of samples already sorted ascending and free of NaN.
public func wasserstein(sortedU x: [Double], sortedV y: [Double]) -> Double? {
    guard !x.isEmpty, !y.isEmpty else { return nil }
    let n1 = Double(x.count)
    let n2 = Double(y.count)
    var i = 0
    var j = 0
    var distance = 0.0
    var previous = min(x[0], y[0])
    while i < x.count || j < y.count {
        let value = j >= y.count || (i < x.count && x[i] <= y[j]) ? x[i] : y[j]
        // Between the previous value and this one the CDFs are flat at their counts so far.
        distance += abs(Double(i) / n1 - Double(j) / n2) * (value - previous)
        while i < x.count && x[i] <= value { i += 1 }
        while j < y.count && y[j] <= value { j += 1 }
        previous = value
    }
    return distance
}

/// Wasserstein-1 divided by the reference population standard deviation (ddof = 0), floored at
/// `floor` so a constant reference does not divide by zero. The floor 0.001 is Evidently's.
public func normalizedWasserstein(reference: [Double], current: [Double], floor: Double = 0.001) -> Double? {
    guard let distance = wasserstein(reference, current) else { return nil }
    let values = reference.filter { !$0.isNaN }
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    return distance / max(variance.squareRoot(), floor)
}
