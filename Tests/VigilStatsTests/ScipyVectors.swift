import Foundation
import Testing

/// The vectors `tools/fixtures/stats.py` wrote from scipy and numpy.
struct ScipyVectors: Decodable {
    struct KS: Decodable {
        var name: String
        var a: [Double]
        var b: [Double]
        var method: String
        var statistic: Double
        var pvalue: Double
    }
    struct KSTwo: Decodable {
        var n: Int
        var x: Double
        var sf: Double
    }
    struct ChiSquared: Decodable {
        var name: String
        var reference: [Double]
        var current: [Double]
        var statistic: Double
        var dof: Int
        var pvalue: Double
    }
    struct ChiSquaredSF: Decodable {
        var x: Double
        var dof: Int
        var sf: Double
    }
    struct Wasserstein: Decodable {
        var name: String
        var u: [Double]
        var v: [Double]
        var distance: Double
        var normalized: Double
    }
    struct Binned: Decodable {
        var name: String
        var reference: [Double]
        var current: [Double]
        var edges: [Double]
        var reference_counts: [Double]
        var current_counts: [Double]
        var psi: Double
        var jensen_shannon: Double
        var hellinger: Double
    }
    struct Corrections: Decodable {
        var p: [Double]
        var bh: [Double]
        var bonferroni: [Double]
    }

    var generator: String
    var ks: [KS]
    var kstwo: [KSTwo]
    var chi2: [ChiSquared]
    var chi2_sf: [ChiSquaredSF]
    var wasserstein: [Wasserstein]
    var binned: [Binned]
    var corrections: [Corrections]

    static let shared: ScipyVectors = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/stats_vectors.json")
        do {
            return try JSONDecoder().decode(ScipyVectors.self, from: Data(contentsOf: url))
        } catch {
            fatalError("cannot read \(url.path): \(error); run tools/fixtures/stats.py")
        }
    }()
}

/// Statistics agree to a relative 1e-9 (absolute 1e-12 near zero).
func expectStatistic(_ value: Double?, _ reference: Double, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let value else {
        Issue.record("\(label): no value, scipy has \(reference)", sourceLocation: sourceLocation)
        return
    }
    let ok = abs(value - reference) <= max(1e-9 * abs(reference), 1e-12)
    #expect(ok, "\(label): \(value) vs scipy \(reference)", sourceLocation: sourceLocation)
}

/// p-values agree to 1e-6 absolute or 1e-4 relative.
func expectPValue(_ value: Double?, _ reference: Double, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let value else {
        Issue.record("\(label): no p-value, scipy has \(reference)", sourceLocation: sourceLocation)
        return
    }
    let ok = abs(value - reference) <= 1e-6 || abs(value - reference) <= 1e-4 * abs(reference)
    #expect(ok, "\(label): p \(value) vs scipy \(reference)", sourceLocation: sourceLocation)
}
