import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VigilServer

/// V2 infer: layouts, datatypes, requested outputs and the echoed id.
struct InferenceTests {
    let repository: TestRepository
    init() throws { repository = try TestRepository() }

    func infer(_ model: String, _ body: String) async throws -> TestResponse {
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        return try await app.test(.router) { client async throws in try await client.post("/v2/models/\(model)/infer", body) }
    }

    func output(_ response: TestResponse, _ name: String) throws -> [String: Any] {
        let outputs = try #require(try response.json["outputs"] as? [[String: Any]])
        return try #require(outputs.first { $0["name"] as? String == name })
    }

    @Test func matrixInputGivesLabelsAndProbabilitiesAndEchoesId() async throws {
        let response = try await infer(
            "iris",
            #"{"id":"req-7","inputs":[{"name":"input","shape":[2,4],"datatype":"FP64","data":[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}]}"#)
        #expect(response.status == .ok)
        let json = try response.json
        #expect(json["id"] as? String == "req-7")
        #expect(json["model_name"] as? String == "iris")
        let label = try output(response, "label")
        #expect(label["data"] as? [String] == ["setosa", "virginica"])
        #expect(label["shape"] as? [Int] == [2])
        let probabilities = try output(response, "probabilities")
        #expect(probabilities["shape"] as? [Int] == [2, 3])
        let values = try #require(probabilities["data"] as? [Double])
        #expect(abs(values[0..<3].reduce(0, +) - 1) < 1e-12)
        #expect(values[0] > 0.9 && values[5] > 0.9)
    }

    @Test func flatAndNestedDataAgree() async throws {
        let flat = try await infer(
            "iris", #"{"inputs":[{"name":"input","shape":[2,4],"datatype":"FP64","data":[5.1,3.5,1.4,0.2,6.7,3.0,5.2,2.3]}]}"#)
        let nested = try await infer(
            "iris", #"{"inputs":[{"name":"input","shape":[2,4],"datatype":"FP64","data":[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}]}"#)
        #expect(try output(flat, "probabilities")["data"] as? [Double] == output(nested, "probabilities")["data"] as? [Double])
    }

    @Test func onePerFeatureInputsMatchTheMatrixLayout() async throws {
        let perFeature = try await infer(
            "reg32",
            #"{"inputs":[{"name":"b","shape":[2],"datatype":"FP32","data":[2,0]},{"name":"a","shape":[2,1],"datatype":"FP32","data":[[1],[-1]]}]}"#
        )
        #expect(perFeature.status == .ok)
        #expect(try output(perFeature, "predictions")["data"] as? [Double] == [9, -1])
    }

    @Test func fp64AndIntegerInputsAreConvertedForAnFP32Model() async throws {
        // 0.1 rounds to FP32 first: 2 * 0.1f + 3 * 0 + 1 computed in double, then reported as FP32.
        let fp64 = try await infer("reg32", #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP64","data":[0.1,0]}]}"#)
        let predictions = try output(fp64, "predictions")
        #expect(predictions["datatype"] as? String == "FP32")
        let value = try #require((predictions["data"] as? [Double])?.first)
        #expect(Float(value) == Float(2 * Double(Float(0.1)) + 1))
        let int32 = try await infer("reg32", #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"INT32","data":[3,4]}]}"#)
        #expect(try output(int32, "predictions")["data"] as? [Double] == [19])
        let uint8 = try await infer("reg32", #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"UINT8","data":[[0,1]]}]}"#)
        #expect(try output(uint8, "predictions")["data"] as? [Double] == [4])
    }

    @Test func boolAndBytesInputsAreAccepted() async throws {
        let bools = try await infer("reg32", #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"BOOL","data":[true,false]}]}"#)
        #expect(try output(bools, "predictions")["data"] as? [Double] == [3])
        let bytes = try await infer("reg32", #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"BYTES","data":["1","1"]}]}"#)
        #expect(try output(bytes, "predictions")["data"] as? [Double] == [6])
    }

    @Test func integerClassLabelsAreINT64() async throws {
        let response = try await infer("binary", #"{"inputs":[{"name":"x","shape":[3],"datatype":"FP64","data":[-2,0.5,3]}]}"#)
        let label = try output(response, "label")
        #expect(label["datatype"] as? String == "INT64")
        #expect(label["data"] as? [Int] == [0, 1, 1])
    }

    @Test func onlyRequestedOutputsAreReturned() async throws {
        let response = try await infer(
            "iris", #"{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2]}],"outputs":[{"name":"label"}]}"#)
        let outputs = try #require(try response.json["outputs"] as? [[String: Any]])
        #expect(outputs.map { $0["name"] as? String } == ["label"])
        #expect(outputs[0]["data"] as? [String] == ["setosa"])
        // Asked for as binary (Triton's extension), the one output follows the JSON part as a BYTES element.
        let binary = try await infer(
            "iris",
            #"{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2]}],"outputs":[{"name":"label","parameters":{"binary_data":true}}]}"#
        )
        let (header, tail) = try BinaryTensorTests.split(binary)
        #expect((header["outputs"] as? [[String: Any]])?.map { $0["name"] as? String } == ["label"])
        #expect(tail == [6, 0, 0, 0] + Array("setosa".utf8))
    }

    @Test func pythonsNaNLiteralReachesTheModelAsMissing() async throws {
        let response = try await infer("reg32", #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","data":[NaN,1]}]}"#)
        #expect(response.status == .badRequest)
        #expect(
            response.errorMessage == "input 'input' has NaN (a missing value) at row 0, feature 'a'; model 'reg32' needs finite numbers")
    }
}
