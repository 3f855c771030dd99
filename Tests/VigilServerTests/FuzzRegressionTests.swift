import Foundation
import FuzzTargets
import Testing

/// Every input the fuzzer once crashed on (`Fuzz/Regressions/<target>/`, from tools/fuzz.sh) now runs
/// through its target without a crash, in every test run.
struct FuzzRegressionTests {
    static let folder = TestRepository.repositoryRoot.appendingPathComponent("Fuzz/Regressions")

    static var inputs: [String] {
        FuzzTarget.allCases.flatMap { target in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(target.rawValue).path)) ?? []).sorted().map
            { "\(target.rawValue)/\($0)" }
        }
    }

    @Test func theRegressionInputsAreThere() {
        #expect(
            Set(Self.inputs).isSuperset(of: [
                "v2/json5-invalid-utf8-whitespace", "json/json5-exponent-sign-without-digits", "onnx/initializer-shape-overflows",
                "lightgbm/category-set-out-of-range", "xgboost/child-points-back-up-the-tree",
            ]))
    }

    @Test(arguments: inputs)
    func aCrashingInputNoLongerCrashes(input: String) throws {
        let target = try #require(FuzzTarget(rawValue: String(input.prefix { $0 != "/" })))
        target.run(Array(try Data(contentsOf: Self.folder.appendingPathComponent(input))))
    }
}
