import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VigilServer

/// Every model in the repository's `models/` serves V2 inference on the first rows of its own reference.csv.
struct ExampleModelsTests {
    static let modelsDirectory = TestRepository.repositoryRoot.appendingPathComponent("models")
    static let names = ((try? FileManager.default.contentsOfDirectory(atPath: modelsDirectory.path)) ?? []).sorted()

    func configuration() -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.modelsDirectory = Self.modelsDirectory
        configuration.port = 0
        configuration.databasePath =
            FileManager.default.temporaryDirectory.appendingPathComponent("vigil-examples-\(UUID().uuidString).sqlite").path
        return configuration
    }

    /// The first `count` rows of a model's reference.csv as JSON cells: numbers, "NaN" for blanks,
    /// and strings for category names; whether any cell is a category name.
    static func referenceRows(_ name: String, count: Int) throws -> (rows: [[String]], hasText: Bool) {
        let text = try String(
            contentsOf: modelsDirectory.appendingPathComponent(name).appendingPathComponent("reference.csv"), encoding: .utf8)
        var hasText = false
        let rows = text.split(separator: "\n").dropFirst().prefix(count).map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map { cell -> String in
                if cell.isEmpty { return "\"NaN\"" }
                if let number = Double(cell) { return String(number) }
                hasText = true
                return "\"\(cell)\""
            }
        }
        return (rows, hasText)
    }

    @Test func theSpecsExamplesAreAllThere() {
        for name in [
            "iris-onnx", "breast-cancer-pipeline", "diabetes-forest", "breast-cancer-xgboost", "diabetes-lightgbm", "shop-purchases",
        ] {
            #expect(Self.names.contains(name), "models/\(name)")
        }
        #expect(FileManager.default.fileExists(atPath: Self.modelsDirectory.appendingPathComponent("iris-onnx/model.onnx").path))
        #expect(
            FileManager.default.fileExists(atPath: Self.modelsDirectory.appendingPathComponent("breast-cancer-pipeline/model.onnx").path))
        #expect(FileManager.default.fileExists(atPath: Self.modelsDirectory.appendingPathComponent("diabetes-forest/model.onnx").path))
    }

    @Test(arguments: names)
    func servesItsReferenceRows(name: String) async throws {
        // A model with text features takes the same [batch, n] layout as one BYTES tensor of numbers and names.
        let (rows, hasText) = try Self.referenceRows(name, count: 3)
        let data = rows.flatMap { $0 }.joined(separator: ",")
        let body =
            #"{"inputs":[{"name":"input","shape":[\#(rows.count),\#(rows[0].count)],"datatype":"\#(hasText ? "BYTES" : "FP32")","data":[\#(data)]}]}"#
        let (app, _) = try buildApplication(configuration: configuration(), logger: .quiet)
        try await app.test(.router) { client async throws in
            let ready = try await client.execute(uri: "/v2/models/\(name)/ready", method: .get)
            #expect(ready.status == .ok, "\(name) is not ready")
            let response = try await client.post("/v2/models/\(name)/infer", body)
            #expect(response.status == .ok, "\(name): \(response.errorMessage)")
            let outputs = try #require(try response.json["outputs"] as? [[String: Any]])
            if let probabilities = outputs.first(where: { $0["name"] as? String == "probabilities" }) {
                let shape = try #require(probabilities["shape"] as? [Int])
                let values = try #require(probabilities["data"] as? [Double])
                #expect(shape[0] == rows.count && values.count == shape[0] * shape[1])
                for row in 0..<shape[0] {
                    #expect(abs(values[(row * shape[1])..<((row + 1) * shape[1])].reduce(0, +) - 1) < 1e-5, "\(name) row \(row)")
                }
                let labels = try #require(outputs.first { $0["name"] as? String == "label" })
                #expect((labels["shape"] as? [Int]) == [rows.count])
            } else {
                let predictions = try #require(outputs.first { $0["name"] as? String == "predictions" })
                let values = try #require(predictions["data"] as? [Double])
                #expect(values.count == rows.count && values.allSatisfy(\.isFinite), "\(name)")
            }
        }
    }

    @Test func theIrisONNXModelNamesItsClasses() async throws {
        // Reference rows 0 and 100 of iris are a setosa and a virginica.
        let body = #"{"inputs":[{"name":"input","shape":[2,4],"datatype":"FP32","data":[[5.1,3.5,1.4,0.2],[6.3,3.3,6.0,2.5]]}]}"#
        let (app, _) = try buildApplication(configuration: configuration(), logger: .quiet)
        try await app.test(.router) { client async throws in
            let response = try await client.post("/v2/models/iris-onnx/infer", body)
            #expect(response.status == .ok, "\(response.errorMessage)")
            let outputs = try #require(try response.json["outputs"] as? [[String: Any]])
            let labels = try #require(outputs.first { $0["name"] as? String == "label" })
            #expect(labels["data"] as? [String] == ["setosa", "virginica"])
            #expect(labels["datatype"] as? String == "BYTES")
        }
    }
}
