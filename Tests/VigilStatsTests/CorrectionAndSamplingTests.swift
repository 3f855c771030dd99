import Testing
import VigilStats

struct CorrectionAndSamplingTests {
    @Test func benjaminiHochbergMatchesScipyFalseDiscoveryControl() {
        for vector in ScipyVectors.shared.corrections {
            for (value, reference) in zip(benjaminiHochberg(vector.p), vector.bh) { expectStatistic(value, reference, "BH") }
            for (value, reference) in zip(bonferroni(vector.p), vector.bonferroni) { expectStatistic(value, reference, "Bonferroni") }
        }
        #expect(benjaminiHochberg([]).isEmpty)
    }

    @Test func reservoirKeepsCapacityAndCountsEverything() {
        var generator = SplitMix64(seed: 42)
        var sample = ReservoirSample(capacity: 100)
        for value in 0..<10_000 { sample.add(Double(value), using: &generator) }
        sample.add(.nan, using: &generator)
        #expect(sample.seen == 10_000)
        #expect(sample.values.count == 100)
        #expect(Set(sample.values).count == 100)
        // A uniform sample of 0..<10000 has a mean near 5000 (sd of the mean ≈ 289).
        let mean = sample.values.reduce(0, +) / 100
        #expect(abs(mean - 4999.5) < 1500)
    }

    @Test func mergedReservoirsWeighEachStreamBySize() {
        var generator = SplitMix64(seed: 7)
        var big = ReservoirSample(capacity: 1000)
        var small = ReservoirSample(capacity: 1000)
        for _ in 0..<9000 { big.add(0, using: &generator) }
        for _ in 0..<1000 { small.add(1, using: &generator) }
        let merged = big.merged(with: small, using: &generator)
        #expect(merged.seen == 10_000)
        #expect(merged.values.count == 1000)
        let ones = merged.values.filter { $0 == 1 }.count
        // Expect about 100 ones (10%); binomial sd ≈ 9.5.
        #expect(ones > 50 && ones < 150, "\(ones) ones")
    }

    @Test func momentsMergeAndCountMissing() {
        var a = NumericMoments()
        [1, 2, .nan].forEach { a.add($0) }
        var b = NumericMoments()
        [3, 4].forEach { b.add($0) }
        a.merge(b)
        #expect(a.count == 4 && a.missing == 1)
        #expect(a.minimum == 1 && a.maximum == 4 && a.sum == 10 && a.sumOfSquares == 30)
        #expect(a.mean == 2.5)
        #expect(abs((a.standardDeviation ?? 0) - 1.118033988749895) < 1e-12)
    }
}
