import Testing
import VigilStats

struct ChiSquaredTests {
    @Test(arguments: ScipyVectors.shared.chi2.map(\.name))
    func matchesScipyChi2Contingency(name: String) throws {
        let vector = try #require(ScipyVectors.shared.chi2.first { $0.name == name })
        let result = try #require(chiSquaredHomogeneity(reference: vector.reference, current: vector.current))
        expectStatistic(result.statistic, vector.statistic, "\(name) statistic")
        #expect(result.degreesOfFreedom == vector.dof)
        expectPValue(result.pValue, vector.pvalue, "\(name) p-value")
    }

    @Test func survivalFunctionMatchesScipyChi2Sf() {
        for vector in ScipyVectors.shared.chi2_sf {
            let value = chiSquaredSurvival(vector.x, degrees: vector.dof)
            // The incomplete gamma function is accurate well past the p-value tolerance: hold it to 1e-9.
            #expect(
                abs(value - vector.sf) <= max(1e-9 * vector.sf, 1e-300), "chi2.sf(\(vector.x), \(vector.dof)) = \(value) vs \(vector.sf)")
        }
    }

    @Test func nothingToTestIsNil() {
        #expect(chiSquaredHomogeneity(reference: [10], current: [5]) == nil)
        #expect(chiSquaredHomogeneity(reference: [0, 0], current: [3, 4]) == nil)
        #expect(chiSquaredHomogeneity(reference: [], current: []) == nil)
    }
}
