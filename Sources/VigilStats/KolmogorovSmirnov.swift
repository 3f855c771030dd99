/// How the p-value of a two-sample Kolmogorov–Smirnov test is computed.
public enum KolmogorovSmirnovMethod: String, Sendable, Codable {
    /// Exact when both samples have at most 10,000 values, asymptotic above (scipy's `method='auto'`).
    case auto
    /// The exact distribution of the statistic under the null (Hodges' lattice-path count).
    case exact
    /// The one-sample Kolmogorov distribution at `n = round(n1 n2 / (n1 + n2))`, as scipy's `asymp`.
    case asymptotic = "asymp"
}

/// The result of a two-sample Kolmogorov–Smirnov test.
public struct KolmogorovSmirnovResult: Sendable, Equatable, Codable {
    /// The largest distance between the two empirical CDFs.
    public var statistic: Double
    /// The two-sided p-value.
    public var pValue: Double
    /// The method the p-value came from (`auto` resolves to one of the others).
    public var method: KolmogorovSmirnovMethod
}

/// Two-sided two-sample Kolmogorov–Smirnov test, matching `scipy.stats.ks_2samp(a, b, method=...)`.
///
/// NaN values are dropped first (count them as missing beforehand). Ties are handled as scipy does:
/// both empirical CDFs are evaluated right-continuously at every observed value. With `.exact`, the
/// statistic is rounded to the lattice `h / lcm(n1, n2)` scipy uses, and the test falls back to the
/// asymptotic method when the exact computation leaves [0, 1]. Returns nil when either sample is empty.
public func kolmogorovSmirnov(_ a: [Double], _ b: [Double], method: KolmogorovSmirnovMethod = .auto) -> KolmogorovSmirnovResult? {
    kolmogorovSmirnov(sortedA: a.filter { !$0.isNaN }.sorted(), sortedB: b.filter { !$0.isNaN }.sorted(), method: method)
}

/// The same test on samples already sorted ascending and free of NaN, so callers that also need
/// them sorted for other statistics sort once.
public func kolmogorovSmirnov(sortedA x: [Double], sortedB y: [Double], method: KolmogorovSmirnovMethod = .auto) -> KolmogorovSmirnovResult?
{
    let n1 = x.count
    let n2 = y.count
    guard n1 > 0, n2 > 0 else { return nil }
    var d = kolmogorovSmirnovStatistic(sortedA: x, sortedB: y)
    var resolved = method == .auto ? (max(n1, n2) <= 10_000 ? .exact : .asymptotic) : method
    if resolved == .exact {
        let g = greatestCommonDivisor(n1, n2)
        if n1 / g >= Int(Int32.max) / (n2 / g) {
            resolved = .asymptotic
        } else if let (lattice, p) = exactTwoSampleProbability(n1: n1, n2: n2, g: g, d: d) {
            return KolmogorovSmirnovResult(statistic: lattice, pValue: min(max(p, 0), 1), method: .exact)
        } else {
            resolved = .asymptotic
            d = Double((d * Double((n1 / g) * n2)).rounded(.toNearestOrEven)) / Double((n1 / g) * n2)
        }
    }
    let (m, n) = (Double(max(n1, n2)), Double(min(n1, n2)))
    let effective = (m * n / (m + n)).rounded(.toNearestOrEven)
    let p = kolmogorovSurvival(n: Int(effective), x: d)
    return KolmogorovSmirnovResult(statistic: d, pValue: min(max(p, 0), 1), method: .asymptotic)
}

/// The two-sided KS statistic of two sorted samples: `max |F_a(t) - F_b(t)|` over observed `t`.
public func kolmogorovSmirnovStatistic(sortedA x: [Double], sortedB y: [Double]) -> Double {
    let n1 = Double(x.count)
    let n2 = Double(y.count)
    var i = 0
    var j = 0
    var maxDifference = -Double.infinity
    var minDifference = Double.infinity
    while i < x.count || j < y.count {
        // The next distinct value; both CDFs step past every copy of it (side='right').
        let value = j >= y.count || (i < x.count && x[i] <= y[j]) ? x[i] : y[j]
        while i < x.count && x[i] <= value { i += 1 }
        while j < y.count && y[j] <= value { j += 1 }
        let difference = Double(i) / n1 - Double(j) / n2
        maxDifference = max(maxDifference, difference)
        minDifference = min(minDifference, difference)
    }
    return max(min(max(-minDifference, 0), 1), maxDifference)
}

/// scipy's `_attempt_exact_2kssamp` for the two-sided alternative: the statistic on its lattice and
/// its p-value, or nil when the computation is not a probability.
func exactTwoSampleProbability(n1: Int, n2: Int, g: Int, d: Double) -> (Double, Double)? {
    let lcm = (n1 / g) * n2
    let h = Int((d * Double(lcm)).rounded(.toNearestOrEven))
    let lattice = Double(h) / Double(lcm)
    if h == 0 { return (lattice, 1) }
    let p = n1 == n2 ? probabilityOutsideSquare(n: n1, h: h) : outerProbabilityInsideMethod(m: n1, n: n2, g: g, h: h)
    guard p.isFinite, p >= 0, p <= 1 else { return nil }
    return (lattice, p)
}

/// The share of lattice paths that leave the band `|x - y| < h` on an n×n grid (scipy's `_compute_prob_outside_square`).
func probabilityOutsideSquare(n: Int, h: Int) -> Double {
    var total = 0.0
    var k = n / h
    while k >= 0 {
        var p1 = 1.0
        for j in 0..<h {
            p1 = Double(n - k * h - j) * p1 / Double(n + k * h + j + 1)
        }
        total = p1 * (1 - total)
        k -= 1
    }
    return 2 * total
}

/// 1 − (share of lattice paths from (0,0) to (m,n) staying inside `|x/m − y/n| < h/lcm`), by
/// Hodges' inside method in Viehmann's form (scipy's `_compute_outer_prob_inside_method`).
func outerProbabilityInsideMethod(m mIn: Int, n nIn: Int, g: Int, h: Int) -> Double {
    let (m, n) = mIn < nIn ? (nIn, mIn) : (mIn, nIn)
    let mg = m / g
    let ng = n / g
    var minj = 0
    var maxj = min(Int((Double(h) / Double(mg)).rounded(.up)), n + 1)
    var curlen = maxj - minj
    let lenA = min(2 * maxj + 2, n + 1)
    var a = [Double](repeating: 1, count: lenA)
    for index in minj..<maxj { a[index] = 0 }
    // Multiplying by a table of reciprocals instead of dividing in the inner loop is several times
    // faster; it changes the result by a few ulps at most, far inside any p-value tolerance.
    let reciprocals = (0...(m + n)).map { $0 == 0 ? 0 : 1 / Double($0) }
    let finished: Bool = a.withUnsafeMutableBufferPointer { a in
        reciprocals.withUnsafeBufferPointer { reciprocal in
            for i in 1...m {
                let lastminj = minj
                let lastlen = curlen
                minj = max(Int((Double(ng * i - h) / Double(mg)).rounded(.down)) + 1, 0)
                minj = min(minj, n)
                maxj = min(Int((Double(ng * i + h) / Double(mg)).rounded(.up)), n + 1)
                if maxj <= minj { return true }
                var value = minj == 0 ? 0.0 : 1.0
                let di = Double(i)
                for jj in 0..<(maxj - minj) {
                    let j = jj + minj
                    value = (a[jj + minj - lastminj] * di + value * Double(j)) * reciprocal[i + j]
                    a[jj] = value
                }
                curlen = maxj - minj
                if lastlen > curlen {
                    // A numpy slice past the end stops at the end; so does this.
                    for index in (maxj - minj)..<min(maxj - minj + lastlen - curlen, lenA) { a[index] = 1 }
                }
            }
            return false
        }
    }
    if finished { return 1 }
    return a[maxj - minj - 1]
}

func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
    var (x, y) = (a, b)
    while y != 0 { (x, y) = (y, x % y) }
    return x
}
