import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VigilServer

/// Models with string categorical inputs, served by the live server from the categorical fixtures
/// (tools/fixtures/categorical_cases.py): every route a client uses gives the reference runtime's outputs.
struct StringInputTests {
    static let fixtures = TestRepository.repositoryRoot.appendingPathComponent("Tests/VigilModelsTests/Fixtures/categorical")
    static let served = ["onehot-logistic", "onehot-forest", "ordinal-tree", "category-mapper", "xgboost-category", "lightgbm-category"]

    struct Expected: Decodable {
        struct Output: Decodable {
            var label: Label?
            var probabilities: [Double]?
            var prediction: Double?
            var error: [String: String]?
        }

        var rows: [[JSONCell]]
        var outputs: [Output]
    }

    /// A class label as the fixture records it, spelled as a V1 response gives it.
    struct Label: Decodable {
        var text: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Int.self) { text = String(value) } else { text = try container.decode(String.self) }
        }
    }

    /// A cell of a probe row, written back as JSON.
    enum JSONCell: Decodable {
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

        var json: String {
            switch self {
            case .number(let value): String(value)
            case .text(let text): "\"\(text)\""
            case .missing: "null"
            }
        }
    }

    static let names = ["size", "weight", "colour", "country"]

    /// A repository holding every categorical fixture as a model named after it.
    static func repository() throws -> TestRepository {
        let repository = try TestRepository(includeBroken: false)
        for name in served + ["imputer-strict"] {
            let source = fixtures.appendingPathComponent(name)
            for file in try FileManager.default.contentsOfDirectory(atPath: source.path) where file.hasPrefix("model.") {
                let target = repository.directory.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: target.appendingPathComponent(file))
            }
        }
        return repository
    }

    static func expected(_ name: String) throws -> Expected {
        try JSONDecoder().decode(
            Expected.self, from: Data(contentsOf: fixtures.appendingPathComponent(name).appendingPathComponent("expected.json")))
    }

    /// The four request bodies for `rows`: V2 per-feature tensors, V2 one [batch, n] BYTES tensor, V1 objects, V1 columns.
    static func bodies(_ rows: [[JSONCell]]) -> [(route: String, body: String)] {
        func column(_ index: Int) -> String { rows.map { $0[index].json }.joined(separator: ",") }
        let perFeature = names.enumerated().map { index, name in
            let type = index < 2 ? "FP32" : "BYTES"
            return #"{"name":"\#(name)","shape":[\#(rows.count),1],"datatype":"\#(type)","data":[\#(column(index))]}"#
        }.joined(separator: ",")
        let matrix = rows.map { "[" + $0.map(\.json).joined(separator: ",") + "]" }.joined(separator: ",")
        let objects = rows.map { row in "{" + zip(names, row).map { #""\#($0)":\#($1.json)"# }.joined(separator: ",") + "}" }.joined(
            separator: ",")
        let columns = names.enumerated().map { #""\#($1)":[\#(column($0))]"# }.joined(separator: ",")
        return [
            ("infer", #"{"inputs":[\#(perFeature)]}"#),
            ("infer", #"{"inputs":[{"name":"input","shape":[\#(rows.count),4],"datatype":"BYTES","data":[\#(matrix)]}]}"#),
            ("predict", #"{"instances":[\#(objects)]}"#),
            ("predict", #"{"inputs":{\#(columns)}}"#),
        ]
    }

    /// Each row's label from a V1 response: classifiers answer V1 with labels only, as TF Serving does.
    static func labels(_ json: [String: Any]) -> [String]? {
        guard let predictions = json["predictions"] as? [Any],
            predictions.first is String || (predictions.first as? Double).map({ $0 == $0.rounded() }) == true
        else { return nil }
        return predictions.map { value in (value as? String) ?? (value as? Double).map { String(Int($0)) } ?? "?" }
    }

    /// Each row's probabilities (or prediction), from a V2 or V1 response.
    static func outputs(_ json: [String: Any]) throws -> [[Double]] {
        if let outputs = json["outputs"] as? [[String: Any]] {
            let values = try #require(outputs.first { ["probabilities", "predictions"].contains($0["name"] as? String) })
            let data = try #require(values["data"] as? [Double])
            let shape = try #require(values["shape"] as? [Int])
            let width = shape.count > 1 ? shape[1] : 1
            return stride(from: 0, to: data.count, by: width).map { Array(data[$0..<$0 + width]) }
        }
        let predictions = try #require(json["predictions"] as? [Any])
        return predictions.map { value in
            if let number = value as? Double { return [number] }
            if let object = value as? [String: Any], let probabilities = object["probabilities"] as? [Double] { return probabilities }
            return []
        }
    }

    @Test(arguments: served)
    func everyRouteGivesTheReferenceOutputs(name: String) async throws {
        let repository = try Self.repository()
        let expected = try Self.expected(name)
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        try await app.test(.live) { client async throws in
            for (route, body) in Self.bodies(expected.rows) {
                let uri = route == "infer" ? "/v2/models/\(name)/infer" : "/v1/models/\(name):predict"
                let response = try await client.post(uri, body)
                #expect(response.status == .ok, "\(name) \(route): \(response.errorMessage)")
                guard response.status == .ok else { continue }
                if route == "predict", let labels = Self.labels(try response.json), expected.outputs[0].label != nil {
                    #expect(labels == expected.outputs.map { $0.label?.text ?? "" }, "\(name) \(route) labels")
                    continue
                }
                let got = try Self.outputs(try response.json)
                #expect(got.count == expected.outputs.count)
                for (row, (values, wanted)) in zip(got, expected.outputs).enumerated() {
                    let reference = wanted.probabilities ?? wanted.prediction.map { [$0] } ?? []
                    #expect(values.count == reference.count, "\(name) \(route) row \(row)")
                    for (value, referenceValue) in zip(values, reference) {
                        #expect(
                            abs(value - referenceValue) <= 1e-5 * max(1, abs(referenceValue)),
                            "\(name) \(route) row \(row): \(values) vs \(reference)")
                    }
                }
            }
        }
    }

    @Test func metadataListsEachTextInputAsBytes() async throws {
        let repository = try Self.repository()
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        try await app.test(.router) { client async throws in
            let response = try await client.get("/v2/models/xgboost-category")
            #expect(response.status == .ok)
            let inputs = try #require(try response.json["inputs"] as? [[String: Any]])
            #expect(inputs.map { $0["name"] as? String } == Self.names)
            #expect(inputs.map { $0["datatype"] as? String } == ["FP32", "FP32", "BYTES", "BYTES"])
            #expect(inputs.allSatisfy { $0["shape"] as? [Int] == [-1, 1] })
        }
    }

    @Test func aStrictEncoderRefusesAnUnseenCategoryWithA400NamingIt() async throws {
        let repository = try Self.repository()
        let expected = try Self.expected("imputer-strict")
        let refused = try #require(expected.outputs.firstIndex { $0.error != nil })
        let accepted = try #require(expected.outputs.firstIndex { $0.error == nil })
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        try await app.test(.live) { client async throws in
            let error = try #require(expected.outputs[refused].error)
            let bad = try await client.post(
                "/v2/models/imputer-strict/infer", Self.bodies([expected.rows[accepted], expected.rows[refused]])[0].body)
            #expect(bad.status == .badRequest)
            let input = try #require(error["input"])
            let value = try #require(error["value"])
            #expect(
                bad.errorMessage.contains("input '\(input)'") && bad.errorMessage.contains("\"\(value)\"")
                    && bad.errorMessage.contains("row 1"),
                "\(bad.errorMessage)")
            let good = try await client.post("/v2/models/imputer-strict/infer", Self.bodies([expected.rows[accepted]])[0].body)
            #expect(good.status == .ok, "\(good.errorMessage)")
            let probabilities = try Self.outputs(try good.json)
            #expect(abs((probabilities.first?.first ?? 0) - (expected.outputs[accepted].probabilities?.first ?? 1)) <= 1e-5)
        }
    }

    @Test func wrongKindsForATextFeatureAreClear400s() async throws {
        let repository = try Self.repository()
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        let cases: [(String, String, String)] = [
            (
                "/v1/models/onehot-logistic:predict", #"{"instances":[{"size":1,"weight":70,"colour":3,"country":"fr"}]}"#,
                "takes a category name"
            ),
            (
                "/v2/models/onehot-logistic/infer",
                #"{"inputs":[{"name":"size","shape":[1],"datatype":"FP32","data":[1]},{"name":"weight","shape":[1],"datatype":"FP32","data":[70]},{"name":"colour","shape":[1],"datatype":"FP32","data":[3]},{"name":"country","shape":[1],"datatype":"BYTES","data":["fr"]}]}"#,
                "declare BYTES"
            ),
            (
                "/v2/models/onehot-logistic/infer",
                #"{"inputs":[{"name":"input","shape":[1,4],"datatype":"BYTES","data":[["big",70,"red","fr"]]}]}"#,
                "'big' at index 0 is not a number"
            ),
            (
                "/v2/models/onehot-logistic/infer",
                #"{"inputs":[{"name":"input","shape":[1,4],"datatype":"BYTES","data":[[1,70,true,"fr"]]}]}"#,
                "mixes booleans"
            ),
        ]
        try await app.test(.router) { client async throws in
            for (uri, body, message) in cases {
                let response = try await client.post(uri, body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(response.errorMessage.contains(message), "\(response.errorMessage)")
            }
            let good = try await client.post(
                "/v1/models/onehot-logistic:predict", #"{"instances":[{"size":1,"weight":70,"colour":null,"country":"fr"}]}"#)
            #expect(good.status == .ok, "\(good.errorMessage)")
        }
    }

    @Test func vigilCheckListsTheTextFeaturesAndTheirCategories() throws {
        let (status, output) = try Command.run(
            try VigilProcess.binary.path, ["check", TestRepository.repositoryRoot.appendingPathComponent("models/shop-purchases").path])
        #expect(status == 0, "\(output)")
        #expect(output.contains("colour BYTES [-1, 1]"))
        #expect(output.contains("features: size (numeric), weight (numeric), colour (text), country (text)"))
        #expect(output.contains("colour categories (4): blue, green, red, yellow"))
        #expect(output.contains("country categories (5): de, es, fr, it, uk"))
        #expect(output.contains("-> buy [") || output.contains("-> skip ["))
    }
}
