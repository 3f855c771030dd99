/// The result of a chi-squared test of homogeneity.
public struct ChiSquaredResult: Sendable, Equatable, Codable {
    public var statistic: Double
    public var degreesOfFreedom: Int
    public var pValue: Double
}

/// Chi-squared test of homogeneity on the 2×k table of reference and current counts per category,
/// matching `scipy.stats.chi2_contingency([reference, current], correction=False)`.
///
/// Categories counted in neither sample are dropped first (scipy rejects zero expected counts);
/// a category seen only in the current sample (an unseen level) stays in. With fewer than two
/// categories left, or an empty sample, there is nothing to test and the result is nil.
public func chiSquaredHomogeneity(reference: [Double], current: [Double]) -> ChiSquaredResult? {
    precondition(reference.count == current.count, "reference and current need one count per category")
    var rows: [(Double, Double)] = []
    for (r, c) in zip(reference, current) where r + c > 0 { rows.append((r, c)) }
    let referenceTotal = rows.reduce(0) { $0 + $1.0 }
    let currentTotal = rows.reduce(0) { $0 + $1.1 }
    let total = referenceTotal + currentTotal
    guard rows.count >= 2, referenceTotal > 0, currentTotal > 0 else { return nil }
    var statistic = 0.0
    for (r, c) in rows {
        let columnTotal = r + c
        let expectedReference = columnTotal * referenceTotal / total
        let expectedCurrent = columnTotal * currentTotal / total
        statistic += (r - expectedReference) * (r - expectedReference) / expectedReference
        statistic += (c - expectedCurrent) * (c - expectedCurrent) / expectedCurrent
    }
    let degrees = rows.count - 1
    return ChiSquaredResult(statistic: statistic, degreesOfFreedom: degrees, pValue: chiSquaredSurvival(statistic, degrees: degrees))
}
