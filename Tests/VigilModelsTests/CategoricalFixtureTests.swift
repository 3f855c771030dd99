import Foundation
import Testing
import VigilModels

/// Every string-categorical fixture (tools/fixtures/categorical_cases.py) gives what onnxruntime,
/// xgboost or lightgbm gave on the same rows, unseen and missing categories included.
struct CategoricalFixtureTests {
    struct Expected: Decodable {
        struct FeatureEntry: Decodable {
            var name: String
            var text: Bool
        }

        struct Output: Decodable {
            struct Refusal: Decodable {
                var input: String
                var value: String
            }

            var label: Label?
            var probabilities: [Double]?
            var prediction: Double?
            var error: Refusal?
        }

        enum Label: Decodable, Equatable {
            case integer(Int64)
            case text(String)

            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let value = try? container.decode(Int64.self) {
                    self = .integer(value)
                } else {
                    self = .text(try container.decode(String.self))
                }
            }
        }

        enum Cell: Decodable {
            case number(Double)
            case text(String)
            case missing

            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if container.decodeNil() {
                    self = .missing
                } else if let value = try? container.decode(Double.self) {
                    self = .number(value)
                } else {
                    self = .text(try container.decode(String.self))
                }
            }
        }

        var features: [FeatureEntry]
        var rows: [[Cell]]
        var outputs: [Output]
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/categorical")
    static let names = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted()

    static func load(_ name: String) throws -> (LoadedModel, Expected) {
        let directory = root.appendingPathComponent(name)
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: directory.appendingPathComponent("expected.json")))
        return (try ModelLoader().load(name: name, version: 1, directory: directory, modelDirectory: directory), expected)
    }

    /// The rows as one batch: numbers in the buffer, text features in their columns.
    static func batch(_ rows: [[Expected.Cell]], features: [Feature]) -> FeatureBatch {
        var values = [Double](repeating: .nan, count: rows.count * features.count)
        var texts: [Int: [String?]] = [:]
        for (index, feature) in features.enumerated() where feature.takesText {
            texts[index] = [String?](repeating: nil, count: rows.count)
        }
        for (row, cells) in rows.enumerated() {
            for (index, cell) in cells.enumerated() {
                switch cell {
                case .number(let value): values[row * features.count + index] = Double(Float(value))
                case .text(let text): texts[index]?[row] = text
                case .missing: break
                }
            }
        }
        return FeatureBatch(rowCount: rows.count, featureCount: features.count, values: values, texts: texts)
    }

    @Test func everyKindOfStringModelHasAFixture() {
        #expect(
            Self.names == [
                "category-mapper", "imputer-strict", "lightgbm-category", "onehot-forest", "onehot-logistic", "ordinal-tree",
                "xgboost-category",
            ])
    }

    @Test(arguments: names)
    func matchesTheReferenceRuntime(name: String) throws {
        let (loaded, expected) = try Self.load(name)
        let features = loaded.signature.features
        #expect(features.map(\.name) == expected.features.map(\.name), "\(name) feature names")
        #expect(features.map(\.takesText) == expected.features.map(\.text), "\(name) text features")
        for feature in features where feature.takesText {
            #expect(!feature.categories.isEmpty, "\(name): the model names the categories of \(feature.name)")
            #expect(feature.kind == .categorical)
        }
        let accepted = expected.outputs.indices.filter { expected.outputs[$0].error == nil }
        let prediction = try loaded.model.predict(Self.batch(accepted.map { expected.rows[$0] }, features: features))
        for (position, row) in accepted.enumerated() {
            let wanted = expected.outputs[row]
            switch prediction {
            case .classification(let labels, let probabilities, let classCount):
                let probabilityRow = Array(probabilities[position * classCount..<(position + 1) * classCount])
                let reference = try #require(wanted.probabilities)
                for (value, expectedValue) in zip(probabilityRow, reference) {
                    #expect(abs(value - expectedValue) <= 1e-5, "\(name) row \(row): \(probabilityRow) vs \(reference)")
                }
                guard case .classification(let classes) = loaded.signature.task else {
                    Issue.record("not a classifier")
                    continue
                }
                let label: Expected.Label =
                    switch classes {
                    case .strings(let names): .text(names[labels[position]])
                    case .integers(let values): .integer(values[labels[position]])
                    }
                #expect(label == wanted.label, "\(name) row \(row) label")
            case .regression(let values, _):
                let reference = try #require(wanted.prediction)
                #expect(
                    abs(values[position] - reference) <= 1e-5 * max(1, abs(reference)),
                    "\(name) row \(row): \(values[position]) vs \(reference)")
            }
        }
    }

    @Test func aStrictEncoderRefusesAnUnseenCategoryNamingTheInputAndTheValue() throws {
        let (loaded, expected) = try Self.load("imputer-strict")
        let refused = expected.outputs.indices.filter { expected.outputs[$0].error != nil }
        #expect(refused.count == 4)
        for row in refused {
            let refusal = try #require(expected.outputs[row].error)
            do {
                _ = try loaded.model.predict(Self.batch([expected.rows[row]], features: loaded.signature.features))
                Issue.record("row \(row) should be refused")
            } catch {
                #expect(error.kind == .invalidInput)
                #expect(
                    error.message.contains("input '\(refusal.input)'") && error.message.contains("\"\(refusal.value)\""), "\(error.message)"
                )
            }
        }
    }

    @Test func theModelFilesNameTheirCategories() throws {
        let (onnx, _) = try Self.load("onehot-logistic")
        #expect(onnx.signature.features[2].categories == ["blue", "green", "red", "yellow"])
        #expect(onnx.signature.features[3].categories == ["de", "es", "fr", "it", "uk"])
        let (xgboost, _) = try Self.load("xgboost-category")
        #expect(xgboost.signature.features[2].categories == ["blue", "green", "red", "yellow"])
        let (lightgbm, _) = try Self.load("lightgbm-category")
        #expect(lightgbm.signature.features[3].categories == ["de", "es", "fr", "it", "uk"])
        let (ordinal, _) = try Self.load("ordinal-tree")
        #expect(ordinal.signature.features[2].categories == ["blue", "green", "red", "yellow"])
        #expect(!ordinal.signature.features[0].takesText)
    }
}
