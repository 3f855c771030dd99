import FoundationEssentials

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Counts or weights turned into proportions that sum to one; nil when they sum to zero.
func proportions(_ counts: [Double]) -> [Double]? {
    let total = counts.reduce(0, +)
    guard total > 0 else { return nil }
    return counts.map { $0 / total }
}

/// Population Stability Index over matching bins: `Σ (c_i − r_i) ln(c_i / r_i)`, where `r` and `c`
/// are the reference and current shares per bin and an empty bin's share is replaced by `epsilon`
/// (Evidently's convention, 0.0001). Use the reference-quantile bins of `QuantileBins` plus the
/// underflow and overflow bins. Nil when either side has no counts.
public func populationStabilityIndex(reference: [Double], current: [Double], epsilon: Double = 0.0001) -> Double? {
    precondition(reference.count == current.count, "PSI needs the same bins on both sides")
    guard let r = proportions(reference), let c = proportions(current) else { return nil }
    var total = 0.0
    for (rawR, rawC) in zip(r, c) {
        let ri = rawR == 0 ? epsilon : rawR
        let ci = rawC == 0 ? epsilon : rawC
        total += (ci - ri) * log(ci / ri)
    }
    return total
}

/// Jensen–Shannon distance between two distributions given as counts over the same bins or
/// categories, with the natural logarithm: `sqrt((KL(p‖m) + KL(q‖m)) / 2)`, `m = (p + q) / 2`.
/// Matches `scipy.spatial.distance.jensenshannon(p, q)` (base e, so the range is [0, sqrt(ln 2)]).
public func jensenShannon(_ p: [Double], _ q: [Double]) -> Double? {
    precondition(p.count == q.count, "Jensen–Shannon needs the same bins on both sides")
    guard let pp = proportions(p), let qq = proportions(q) else { return nil }
    var divergence = 0.0
    for (a, b) in zip(pp, qq) {
        let m = (a + b) / 2
        if a > 0 { divergence += a * log(a / m) }
        if b > 0 { divergence += b * log(b / m) }
    }
    return max(divergence / 2, 0).squareRoot()
}

/// Hellinger distance between two distributions given as counts: `sqrt(1 − Σ sqrt(p_i q_i))`,
/// which equals `‖√p − √q‖₂ / √2`; in [0, 1].
public func hellinger(_ p: [Double], _ q: [Double]) -> Double? {
    precondition(p.count == q.count, "Hellinger needs the same bins on both sides")
    guard let pp = proportions(p), let qq = proportions(q) else { return nil }
    var squared = 0.0
    for (a, b) in zip(pp, qq) {
        let difference = a.squareRoot() - b.squareRoot()
        squared += difference * difference
    }
    return (squared / 2).squareRoot()
}
