import Testing
import VigilStats

struct DistanceTests {
    @Test func wassersteinMatchesScipy() {
        for vector in ScipyVectors.shared.wasserstein {
            expectStatistic(wasserstein(vector.u, vector.v), vector.distance, "\(vector.name) W1")
            expectStatistic(normalizedWasserstein(reference: vector.u, current: vector.v), vector.normalized, "\(vector.name) normed W1")
        }
    }

    @Test func quantileBinsMatchNumpyQuantilesAndCounts() throws {
        for vector in ScipyVectors.shared.binned {
            let bins = try #require(QuantileBins(reference: vector.reference))
            #expect(bins.edges.count == vector.edges.count, "\(vector.name) edges")
            for (edge, reference) in zip(bins.edges, vector.edges) { expectStatistic(edge, reference, "\(vector.name) edge") }
            #expect(bins.counts(vector.reference) == vector.reference_counts, "\(vector.name) reference counts")
            #expect(bins.counts(vector.current) == vector.current_counts, "\(vector.name) current counts")
        }
    }

    @Test func binnedDistancesMatchNumpyAndScipy() {
        for vector in ScipyVectors.shared.binned {
            expectStatistic(
                populationStabilityIndex(reference: vector.reference_counts, current: vector.current_counts), vector.psi,
                "\(vector.name) PSI")
            expectStatistic(jensenShannon(vector.reference_counts, vector.current_counts), vector.jensen_shannon, "\(vector.name) JS")
            expectStatistic(hellinger(vector.reference_counts, vector.current_counts), vector.hellinger, "\(vector.name) Hellinger")
        }
    }

    @Test func identicalDistributionsAreZeroApart() {
        #expect(jensenShannon([1, 2, 3], [2, 4, 6]) == 0)
        #expect(hellinger([1, 2, 3], [2, 4, 6]) == 0)
        #expect(populationStabilityIndex(reference: [5, 5], current: [1, 1]) == 0)
        #expect(wasserstein([1, 2, 3], [3, 2, 1]) == 0)
    }

    @Test func emptyInputsAreNil() {
        #expect(wasserstein([], [1]) == nil)
        #expect(wasserstein([.nan], [1]) == nil)
        #expect(jensenShannon([0, 0], [1, 1]) == nil)
        #expect(populationStabilityIndex(reference: [0], current: [1]) == nil)
        #expect(QuantileBins(reference: [.nan]) == nil)
    }

    @Test func constantReferenceHasOneBinAndAFlooredNorm() throws {
        let bins = try #require(QuantileBins(reference: [2, 2, 2]))
        #expect(bins.edges == [2, 2])
        #expect(bins.counts([1, 2, 3, .nan]) == [1, 1, 1])
        // W1 is 0.001 and the reference sd is 0, so the 0.001 floor divides: about 1.
        let normed = try #require(normalizedWasserstein(reference: [2, 2, 2], current: [2.001]))
        #expect(abs(normed - 1) < 1e-9)
    }
}
