import FoundationEssentials

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `P(D_n > x)` for the two-sided one-sample Kolmogorov statistic `D_n`: scipy's `kstwo.sf(x, n)`.
///
/// Follows Simard & L'Ecuyer (2011) as scipy's `_kolmogn` does: Ruben–Gambino at the extremes,
/// twice the exact one-sided Smirnov tail for large deviations, the Durbin matrix (Marsaglia–Tsang–Wang)
/// for small `n x²`, and the Pelz–Good expansion otherwise. For `n ≤ 140` scipy uses Pomeranz's
/// recursion between `n x² = 0.754693` and `4`; the Durbin matrix is exact there too and is used instead.
public func kolmogorovSurvival(n: Int, x: Double) -> Double {
    guard n > 0, !x.isNaN else { return .nan }
    if x >= 1 { return 0 }
    if x <= 0 { return 1 }
    let nd = Double(n)
    let t = nd * x
    if t <= 1 {
        if t <= 0.5 { return 1 }
        // n! / n^n * (2t - 1)^n
        let logFactorial: Double = lgamma(nd + 1)
        let logProbability = logFactorial - nd * log(nd) + nd * log(2 * t - 1)
        return clamp(1 - exp(logProbability))
    }
    if t >= nd - 1 { return clamp(2 * pow(1 - x, nd)) }
    if x >= 0.5 { return clamp(2 * smirnovSurvival(n: n, x: x)) }
    let nxSquared = t * x
    if n <= 140 {
        if nxSquared <= 4 { return clamp(1 - durbinMatrixCDF(n: n, d: x)) }
        return clamp(2 * smirnovSurvival(n: n, x: x))
    }
    if nxSquared >= 370 { return 0 }
    if nxSquared >= 2.2 { return clamp(2 * smirnovSurvival(n: n, x: x)) }
    let cdf: Double
    if nxSquared >= 18 {
        cdf = 1
    } else if n <= 100_000 && nd * pow(x, 1.5) <= 1.4 {
        cdf = durbinMatrixCDF(n: n, d: x)
    } else {
        cdf = pelzGoodCDF(n: n, x: x)
    }
    return clamp(1 - cdf)
}

private func clamp(_ p: Double) -> Double { min(max(p, 0), 1) }

/// `P(D+_n ≥ x)`, the exact one-sided Smirnov tail, by the Birnbaum–Tingey sum in log space:
/// `x Σ_{j=0}^{⌊n(1−x)⌋} C(n,j) (1 − x − j/n)^{n−j} (x + j/n)^{j−1}` (scipy.special.smirnov).
func smirnovSurvival(n: Int, x: Double) -> Double {
    if x <= 0 { return 1 }
    if x >= 1 { return 0 }
    let nd = Double(n)
    let last = Int((nd * (1 - x)).rounded(.down))
    var total = 0.0
    let logN1: Double = lgamma(nd + 1)
    for j in 0...last {
        let jd = Double(j)
        let low = 1 - x - jd / nd
        // (1 - x - j/n)^(n-j) is zero once the base reaches zero, as j < n here.
        if low <= 0 { continue }
        let logBinomial: Double = logN1 - lgamma(jd + 1) - lgamma(nd - jd + 1)
        var logTerm = logBinomial
        logTerm += (nd - jd) * log(low)
        logTerm += (jd - 1) * log(x + jd / nd)
        total += exp(logTerm)
    }
    return x * total
}

/// `P(D_n ≤ d)` by the Durbin matrix as scipy's `_kolmogn_DMTW` computes it, with binary exponent scaling.
func durbinMatrixCDF(n: Int, d: Double) -> Double {
    if d >= 1 { return 1 }
    let nd = Double(n) * d
    if nd <= 0.5 { return 0 }
    let k = Int(nd.rounded(.up))
    let h = Double(k) - nd
    let m = 2 * k - 1
    var w = [Double](repeating: 0, count: m)
    var v = [Double](repeating: 0, count: m)
    var factorial = 1.0
    for j in 1...m {
        w[j - 1] = factorial
        factorial /= Double(j)
        v[j - 1] = (1 - pow(h, Double(j))) * factorial
    }
    let tt = pow(max(2 * h - 1, 0), Double(m)) - 2 * pow(h, Double(m))
    v[m - 1] = (1 + tt) * factorial
    var matrix = [Double](repeating: 0, count: m * m)
    for i in 1..<max(m, 1) {
        for row in (i - 1)..<m { matrix[row * m + i] = w[row - (i - 1)] }
    }
    for row in 0..<m { matrix[row * m] = v[row] }
    for column in 0..<m { matrix[(m - 1) * m + column] = v[m - 1 - column] }

    var power = [Double](repeating: 0, count: m * m)
    for i in 0..<m { power[i * m + i] = 1 }
    var exponent = 0
    var matrixExponent = 0
    var remaining = n
    let scale = 0x1p128
    let inverseScale = 0x1p-128
    while remaining > 0 {
        if remaining % 2 == 1 {
            power = multiply(power, matrix, m)
            exponent += matrixExponent
        }
        matrix = multiply(matrix, matrix, m)
        matrixExponent *= 2
        if abs(matrix[(k - 1) * m + (k - 1)]) > scale {
            for index in matrix.indices { matrix[index] *= inverseScale }
            matrixExponent += 128
        }
        remaining /= 2
    }
    var p = power[(k - 1) * m + (k - 1)]
    for i in 1...n {
        p = Double(i) * p / Double(n)
        if abs(p) < inverseScale {
            p *= scale
            exponent -= 128
        }
    }
    return exponent != 0 ? scalbn(p, exponent) : p
}

private func multiply(_ a: [Double], _ b: [Double], _ m: Int) -> [Double] {
    var result = [Double](repeating: 0, count: m * m)
    for i in 0..<m {
        for k in 0..<m {
            let aik = a[i * m + k]
            if aik == 0 { continue }
            for j in 0..<m { result[i * m + j] += aik * b[k * m + j] }
        }
    }
    return result
}

/// The Pelz–Good expansion of `P(D_n ≤ x)`, term for term as scipy's `_kolmogn_PelzGood`.
func pelzGoodCDF(n: Int, x: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    let piSquared = Double.pi * Double.pi
    let piFour = piSquared * piSquared
    let piSix = piFour * piSquared
    let sqrt2Pi = (2 * Double.pi).squareRoot()
    let z = Double(n).squareRoot() * x
    let z2 = z * z
    let z3 = z2 * z
    let z4 = z2 * z2
    let z6 = z4 * z2
    let qlog = -piSquared / 8 / z2
    if qlog < -708 { return 0 }
    var q = exp(qlog)
    let k1a = -z2
    let k1b = piSquared / 4
    let k2a = 6 * z6 + 2 * z4
    let k2b = (2 * z4 - 5 * z2) * piSquared / 4
    let k2c = piFour * (1 - 2 * z2) / 16
    let k3d = piSix * (5 - 30 * z2) / 64
    let k3c = piFour * (-60 * z2 + 212 * z4) / 16
    let k3b = piSquared * (135 * z4 - 96 * z6) / 4
    let k3a = -30 * z6 - 90 * pow(z, 8)
    var terms = [0.0, 0.0, 0.0, 0.0]
    let maxk = Int((16 * z / Double.pi).rounded(.up))
    if maxk >= 1 {
        for k in stride(from: maxk, through: 1, by: -1) {
            let m = Double(2 * k - 1)
            let m2 = m * m
            let m4 = m2 * m2
            let m6 = m4 * m2
            let qpower = pow(q, Double(8 * k))
            let coefficients = [1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6]
            for index in 0..<4 { terms[index] = terms[index] * qpower + coefficients[index] }
        }
    }
    let divisors = [z, 6 * z4, 72 * pow(z, 7), 6480 * pow(z, 10)]
    for index in 0..<4 { terms[index] = terms[index] * q * sqrt2Pi / divisors[index] }
    q = exp(-piSquared / 2 / z2)
    var k2extra = 0.0
    var k3extra = 0.0
    let sqrt3z = 3.0.squareRoot() * z
    if maxk >= 1 {
        for k in stride(from: maxk, through: 1, by: -1) {
            let kd = Double(k)
            let ksquared = kd * kd
            let qpower = pow(q, ksquared)
            let kspi = Double.pi * kd
            k2extra += ksquared * qpower
            k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksquared * qpower
        }
    }
    terms[2] += k2extra * piSquared * sqrt2Pi / (-36 * z3)
    terms[3] += k3extra * piSquared * sqrt2Pi / (216 * z6)
    var total = 0.0
    for index in 0..<4 { total += terms[index] / pow(Double(n), Double(index) / 2) }
    return total
}
