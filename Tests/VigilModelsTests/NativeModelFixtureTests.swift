import Foundation
import Testing
import VigilModels

/// The bundled native models reproduce scikit-learn's own outputs (tools/fixtures/native_models.py).
struct NativeModelFixtureTests {
    struct Expected: Decodable {
        var rows: [[Double]]
        var labels: [LabelValue]?
        var probabilities: [[Double]]?
        var predictions: [Double]?
    }

    enum LabelValue: Decodable, Equatable {
        case int(Int64)
        case string(String)
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Int64.self) {
                self = .int(value)
            } else {
                self = .string(try container.decode(String.self))
            }
        }
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func load(_ name: String) throws -> (LoadedModel, Expected) {
        let folder = Self.repositoryRoot.appendingPathComponent("models/\(name)")
        let model = try ModelLoader().load(name: name, version: 1, directory: folder, modelDirectory: folder)
        let expectedURL = Self.repositoryRoot.appendingPathComponent("Tests/VigilModelsTests/Fixtures/native/\(name).expected.json")
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: expectedURL))
        return (model, expected)
    }

    func batch(_ rows: [[Double]]) -> FeatureBatch {
        FeatureBatch(rowCount: rows.count, featureCount: rows[0].count, values: rows.flatMap { $0 })
    }

    @Test(arguments: ["iris-logistic", "breast-cancer-logistic"])
    func logisticModelsMatchScikitLearnPredictProba(name: String) throws {
        let (loaded, expected) = try load(name)
        let prediction = try loaded.model.predict(batch(expected.rows))
        guard case .classification(let labelIndices, let probabilities, let classCount) = prediction,
            case .classification(let classes) = loaded.signature.task
        else {
            Issue.record("\(name) is not a classifier")
            return
        }
        let wantedProbabilities = try #require(expected.probabilities)
        #expect(classCount == wantedProbabilities[0].count)
        for (row, wanted) in wantedProbabilities.enumerated() {
            for (column, value) in wanted.enumerated() {
                #expect(abs(probabilities[row * classCount + column] - value) <= 1e-9, "row \(row) class \(column)")
            }
        }
        let labels: [LabelValue] = labelIndices.map { index in
            switch classes {
            case .integers(let values): .int(values[index])
            case .strings(let values): .string(values[index])
            }
        }
        #expect(labels == expected.labels)
    }

    @Test func linearRegressionMatchesScikitLearnPredict() throws {
        let (loaded, expected) = try load("diabetes-linear")
        let prediction = try loaded.model.predict(batch(expected.rows))
        guard case .regression(let values, 1) = prediction else {
            Issue.record("not a one-target regressor")
            return
        }
        let wanted = try #require(expected.predictions)
        #expect(values.count == wanted.count)
        for (value, reference) in zip(values, wanted) {
            #expect(abs(value - reference) <= 1e-9 * max(1, abs(reference)))
        }
    }

    @Test func featureNamesComeFromTheReferenceHeader() throws {
        let (loaded, _) = try load("iris-logistic")
        #expect(loaded.signature.featureNames == ["sepal_length", "sepal_width", "petal_length", "petal_width"])
        #expect(loaded.reference?.rows.count == 150)
    }
}
