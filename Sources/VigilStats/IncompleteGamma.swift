import FoundationEssentials

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The regularized upper incomplete gamma function `Q(a, x) = Γ(a, x) / Γ(a)` (scipy's `gammaincc`).
///
/// A series for `x < a + 1` and Lentz's continued fraction otherwise (Numerical Recipes §6.2),
/// both carried to double precision. `Q(k/2, x/2)` is the chi-squared survival function with `k` degrees.
public func regularizedUpperIncompleteGamma(_ a: Double, _ x: Double) -> Double {
    guard a > 0, x >= 0, !a.isNaN, !x.isNaN else { return .nan }
    if x == 0 { return 1 }
    if x.isInfinite { return 0 }
    let logGammaA: Double = lgamma(a)
    let logPrefix = a * log(x) - x - logGammaA
    if x < a + 1 {
        // P(a, x) by its series; Q = 1 - P.
        var term = 1 / a
        var sum = term
        var denominator = a
        for _ in 0..<10_000 {
            denominator += 1
            term *= x / denominator
            sum += term
            if abs(term) < abs(sum) * 1e-17 { break }
        }
        return max(0, 1 - sum * exp(logPrefix))
    }
    let tiny = 1e-300
    var b = x + 1 - a
    var c = 1 / tiny
    var d = 1 / b
    var h = d
    for i in 1..<10_000 {
        let an = -Double(i) * (Double(i) - a)
        b += 2
        d = an * d + b
        if abs(d) < tiny { d = tiny }
        c = b + an / c
        if abs(c) < tiny { c = tiny }
        d = 1 / d
        let delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-16 { break }
    }
    return exp(logPrefix) * h
}

/// The chi-squared survival function `P(X > statistic)` with `degrees` degrees of freedom (scipy's `chi2.sf`).
public func chiSquaredSurvival(_ statistic: Double, degrees: Int) -> Double {
    guard degrees > 0 else { return .nan }
    return regularizedUpperIncompleteGamma(Double(degrees) / 2, max(statistic, 0) / 2)
}
