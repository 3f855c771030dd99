/// Benjamini–Hochberg adjusted p-values (false discovery rate), in the input order; matches
/// `scipy.stats.false_discovery_control(p, method='bh')` and statsmodels' `fdr_bh`.
/// A feature is significant at level α when its adjusted p-value is at most α.
public func benjaminiHochberg(_ pValues: [Double]) -> [Double] {
    let m = pValues.count
    guard m > 0 else { return [] }
    let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
    var adjusted = [Double](repeating: 0, count: m)
    var running = 1.0
    for rank in stride(from: m, through: 1, by: -1) {
        let index = order[rank - 1]
        running = min(running, pValues[index] * Double(m) / Double(rank))
        adjusted[index] = min(running, 1)
    }
    return adjusted
}

/// Bonferroni adjusted p-values: `min(1, p · m)`.
public func bonferroni(_ pValues: [Double]) -> [Double] {
    let m = Double(pValues.count)
    return pValues.map { min($0 * m, 1) }
}
