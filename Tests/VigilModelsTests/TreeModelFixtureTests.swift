import Foundation
import Testing
import VigilModels

/// Every XGBoost and LightGBM fixture (tools/fixtures/generate.py) gives the library's own predictions.
struct TreeModelFixtureTests {
    struct Expected: Decodable {
        var objective: String
        var rows: [[Double?]]
        var probabilities: [[Double]]?
        var labels: [Int]?
        var predictions: [Double]?
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let folder = root.appendingPathComponent("xgboost")
    static func names(_ format: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(format).path)) ?? []).sorted().map {
            "\(format)/\($0)"
        }
    }

    @Test func everyObjectiveHasAFixture() {
        #expect(
            Self.names("xgboost")
                == [
                    "binary-logistic", "categorical", "count-poisson", "multi-softmax", "multi-softprob", "reg-logistic",
                    "reg-squarederror",
                ].map { "xgboost/\($0)" })
        #expect(
            Self.names("lightgbm")
                == ["binary", "categorical", "multiclass", "multiclass-ova", "poisson", "random-forest", "regression", "zero-as-missing"]
                .map { "lightgbm/\($0)" })
    }

    @Test(arguments: names("xgboost") + names("lightgbm"))
    func matchesTheReferenceLibrary(name: String) throws {
        let directory = Self.root.appendingPathComponent(name)
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: directory.appendingPathComponent("expected.json")))
        let loaded = try ModelLoader().load(name: name, version: 1, directory: directory, modelDirectory: directory)
        #expect(loaded.format == (name.hasPrefix("xgboost") ? .xgboost : .lightgbm))
        let width = expected.rows[0].count
        let batch = FeatureBatch(
            rowCount: expected.rows.count, featureCount: width, values: expected.rows.flatMap { $0.map { $0 ?? .nan } })
        let prediction = try loaded.model.predict(batch)
        switch prediction {
        case .classification(let labels, let probabilities, let classCount):
            if let wanted = expected.probabilities {
                for (row, values) in wanted.enumerated() {
                    for (column, value) in values.enumerated() {
                        #expect(abs(probabilities[row * classCount + column] - value) <= 1e-5, "\(name) row \(row) class \(column)")
                    }
                    let best = values.indices.max { values[$0] < values[$1] } ?? 0
                    #expect(labels[row] == best, "\(name) row \(row) label")
                }
            }
            if let wanted = expected.labels { #expect(labels == wanted, "\(name) labels") }
        case .regression(let values, _):
            let wanted = try #require(expected.predictions)
            for (value, reference) in zip(values, wanted) {
                #expect(abs(value - reference) <= 1e-5 * max(1, abs(reference)), "\(name): \(value) vs \(reference)")
            }
        }
    }

    @Test func anUnknownObjectiveNamesItself() throws {
        let directory = Self.folder.appendingPathComponent("reg-squarederror")
        var text = try String(contentsOf: directory.appendingPathComponent("model.xgb.json"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\"reg:squarederror\"", with: "\"rank:pairwise\"")
        do {
            _ = try XGBoostModel.parse(json: Array(text.utf8), features: nil)
            Issue.record("expected an unsupported-objective error")
        } catch {
            #expect(error.kind == .unsupported)
            #expect(error.message.contains("rank:pairwise"))
        }
    }

    @Test func anUnsupportedLightGBMObjectiveNamesItself() throws {
        var text = try String(contentsOf: Self.root.appendingPathComponent("lightgbm/regression/model.lgb.txt"), encoding: .utf8)
        text = text.replacingOccurrences(of: "objective=regression", with: "objective=lambdarank")
        do {
            _ = try LightGBMModel.parse(text: Array(text.utf8), features: nil)
            Issue.record("expected an unsupported-objective error")
        } catch {
            #expect(error.kind == .unsupported && error.message.contains("lambdarank"))
        }
    }

    @Test func aTruncatedFileIsAClearLoadError() throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent("binary-logistic/model.xgb.json"))
        #expect(throws: ModelError.self) { try XGBoostModel.parse(json: Array(data.prefix(data.count / 2)), features: nil) }
    }

    /// Codes no category can have (huge, infinite after FP32 rounding, negative, fractional) follow
    /// each library's rule for an invalid category instead of trapping on the conversion to Int.
    @Test(arguments: ["xgboost/categorical", "lightgbm/categorical"])
    func aCategoryCodeOutOfRangeIsNoCategory(name: String) throws {
        let directory = Self.root.appendingPathComponent(name)
        let loaded = try ModelLoader().load(name: name, version: 1, directory: directory, modelDirectory: directory)
        let codes = [1e300, .infinity, -.infinity, -3, 2.5, 9e18]
        let batch = FeatureBatch(rowCount: codes.count, featureCount: 2, values: codes.flatMap { [0.5, $0] })
        guard case .regression(let values, _) = try loaded.model.predict(batch) else {
            Issue.record("not a regressor")
            return
        }
        #expect(values.count == codes.count && values.allSatisfy(\.isFinite))
    }
}
