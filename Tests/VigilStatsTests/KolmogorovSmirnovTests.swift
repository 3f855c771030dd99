import Testing
import VigilStats

struct KolmogorovSmirnovTests {
    @Test(arguments: ScipyVectors.shared.ks.map(\.name))
    func matchesScipyKs2samp(name: String) throws {
        let vector = try #require(ScipyVectors.shared.ks.first { $0.name == name })
        let method = try #require(KolmogorovSmirnovMethod(rawValue: vector.method))
        let result = try #require(kolmogorovSmirnov(vector.a, vector.b, method: method))
        expectStatistic(result.statistic, vector.statistic, "\(name) statistic")
        expectPValue(result.pValue, vector.pvalue, "\(name) p-value")
    }

    @Test func autoIsExactUpToTenThousandAndAsymptoticAbove() throws {
        let small = try #require(kolmogorovSmirnov([1, 2, 3], [2, 3, 4, 5]))
        #expect(small.method == .exact)
        let large = try #require(kolmogorovSmirnov((0..<10_001).map(Double.init), [1, 2, 3]))
        #expect(large.method == .asymptotic)
    }

    @Test func kolmogorovSurvivalMatchesScipyKstwo() {
        for vector in ScipyVectors.shared.kstwo {
            expectPValue(kolmogorovSurvival(n: vector.n, x: vector.x), vector.sf, "kstwo.sf(\(vector.x), \(vector.n))")
        }
    }

    @Test func nanIsDroppedAndEmptyIsNil() throws {
        #expect(kolmogorovSmirnov([], [1, 2]) == nil)
        #expect(kolmogorovSmirnov([.nan, .nan], [1, 2]) == nil)
        let withNaN = try #require(kolmogorovSmirnov([1, .nan, 2, 3], [1, 2, 3]))
        #expect(withNaN.statistic == 0)
        #expect(withNaN.pValue == 1)
    }

    @Test func hugeEqualSamplesDoNotCrashAndAgree() throws {
        var generator = SplitMix64(seed: 1)
        let a = (0..<100_000).map { _ in Double.random(in: 0..<1, using: &generator) }
        let b = (0..<100_000).map { _ in Double.random(in: 0..<1, using: &generator) }
        let result = try #require(kolmogorovSmirnov(a, b))
        #expect(result.method == .asymptotic)
        #expect(result.statistic < 0.01)
        #expect(result.pValue > 0.001)
    }
}
