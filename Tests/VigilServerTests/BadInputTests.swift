import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import VigilServer

/// Every bad request gets its status and a JSON error that says what to fix, and the server keeps serving.
struct BadInputTests {
    let repository: TestRepository
    init() throws { repository = try TestRepository() }

    static let good = #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","data":[1,1]}]}"#

    /// Sends `body` to reg32, checks status and message, then checks a good request still works.
    func expect(_ body: String, status: HTTPResponse.Status, message: String, headers: HTTPFields = [:], model: String = "reg32")
        async throws
    {
        let (app, _) = try buildApplication(configuration: repository.configuration { $0.bodyLimit = 4096 }, logger: .quiet)
        try await app.test(.router) { client async throws in
            let response = try await client.post("/v2/models/\(model)/infer", body, headers: headers)
            #expect(response.status == status, "\(String(buffer: response.body))")
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.errorMessage.contains(message), "message was: \(response.errorMessage)")
            let after = try await client.post("/v2/models/reg32/infer", Self.good)
            #expect(after.status == .ok)
        }
    }

    @Test func malformedJSONIs400() async throws {
        try await expect("{\"inputs\": [", status: .badRequest, message: "not a valid request")
    }

    @Test func missingInputsFieldIs400NamingIt() async throws {
        try await expect(#"{"id":"x"}"#, status: .badRequest, message: "missing field 'inputs'")
    }

    @Test func wrongRowWidthNamesInputAndModel() async throws {
        try await expect(
            #"{"inputs":[{"name":"input","shape":[1,7],"datatype":"FP32","data":[1,2,3,4,5,6,7]}]}"#, status: .badRequest,
            message: "input 'input' has 7 values per row; model 'reg32' expects 2")
    }

    @Test func shapeAndDataCountMismatchIs400() async throws {
        try await expect(
            #"{"inputs":[{"name":"input","shape":[2,2],"datatype":"FP32","data":[1,2,3]}]}"#, status: .badRequest,
            message: "shape [2, 2] (4 values) but its data holds 3 values")
    }

    /// The reader makes room for the values a shape promises, but never more than the body could hold.
    @Test func aShapeThatPromisesMoreThanTheBodyHoldsIs400() async throws {
        try await expect(
            #"{"inputs":[{"name":"input","shape":[1000000,2],"datatype":"FP32","data":[1,1]}]}"#, status: .badRequest,
            message: "shape [1000000, 2] (2000000 values) but its data holds 2 values")
        try await expect(
            #"{"inputs":[{"name":"input","shape":[4611686018427387904,4],"datatype":"FP32","data":[1,1]}]}"#, status: .badRequest,
            message: "shape [4611686018427387904, 4], which is too large")
        try await expect(
            #"{"inputs":[{"name":"input","shape":[-1,2],"datatype":"FP32","data":[1,1]}]}"#, status: .badRequest,
            message: "dimensions cannot be negative")
    }

    @Test func unknownDatatypeIs400ListingTheKnownOnes() async throws {
        try await expect(
            #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FLOAT","data":[1,2]}]}"#, status: .badRequest,
            message: "unknown datatype 'FLOAT'; use one of BOOL")
    }

    @Test func fractionalValueForIntegerTypeIs400() async throws {
        try await expect(
            #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"INT8","data":[1.5,2]}]}"#, status: .badRequest,
            message: "is INT8 but value 1.5 at index 0")
    }

    @Test func outOfRangeIntegerIs400() async throws {
        try await expect(
            #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"UINT8","data":[300,2]}]}"#, status: .badRequest,
            message: "is UINT8 but value 300.0")
    }

    @Test func stringsForFP32Is400() async throws {
        try await expect(
            #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","data":["a","b"]}]}"#, status: .badRequest,
            message: "holds strings")
    }

    @Test func mixedTypesInDataIs400() async throws {
        try await expect(
            #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","data":[1,"b"]}]}"#, status: .badRequest,
            message: "mixes numbers and strings")
    }

    @Test func emptyBatchIs400() async throws {
        try await expect(
            #"{"inputs":[{"name":"input","shape":[0,2],"datatype":"FP32","data":[]}]}"#, status: .badRequest, message: "empty batch")
    }

    @Test func noInputsIs400() async throws {
        try await expect(#"{"inputs":[]}"#, status: .badRequest, message: "no inputs")
    }

    @Test func infinityIs400() async throws {
        try await expect(
            #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP64","data":[1,Infinity]}]}"#, status: .badRequest,
            message: "an infinite value at row 0, feature 'b'")
    }

    @Test func missingFeatureInPerFeatureLayoutIs400() async throws {
        try await expect(
            #"{"inputs":[{"name":"a","shape":[1],"datatype":"FP32","data":[1]}]}"#, status: .badRequest, message: "missing 'b'")
    }

    @Test func unequalBatchesInPerFeatureLayoutIs400() async throws {
        try await expect(
            #"{"inputs":[{"name":"a","shape":[1],"datatype":"FP32","data":[1]},{"name":"b","shape":[2],"datatype":"FP32","data":[1,2]}]}"#,
            status: .badRequest, message: "batch size 2")
    }

    @Test func unknownInputNamesAre400() async throws {
        try await expect(
            #"{"inputs":[{"name":"a","shape":[1],"datatype":"FP32","data":[1]},{"name":"zzz","shape":[1],"datatype":"FP32","data":[1]}]}"#,
            status: .badRequest, message: "'zzz' are not features")
    }

    @Test func unknownOutputIs400() async throws {
        try await expect(
            #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","data":[1,1]}],"outputs":[{"name":"logits"}]}"#,
            status: .badRequest, message: "unknown output 'logits'")
    }

    @Test func unknownModelIs404ListingModels() async throws {
        try await expect(
            Self.good, status: .notFound, message: "model 'ghost' not found; available models: binary, broken, iris, reg32, versioned",
            model: "ghost")
    }

    @Test func brokenModelIs503WithItsLoadError() async throws {
        try await expect(
            Self.good, status: .serviceUnavailable,
            message: "model 'broken' is not ready: it failed to load: model.json is not a valid native model", model: "broken")
    }

    @Test func badVersionIs400AndMissingVersionIs404() async throws {
        try await expect(Self.good, status: .badRequest, message: "version 'x' is not a positive whole number", model: "reg32/versions/x")
        try await expect(Self.good, status: .notFound, message: "has no version 3", model: "versioned/versions/3")
    }

    @Test func oversizedBodyIs413() async throws {
        let big =
            #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","data":[1,1]}],"pad":""# + String(repeating: "x", count: 5000)
            + "\"}"
        try await expect(big, status: .contentTooLarge, message: "larger than the 4096-byte limit")
    }

    @Test func unsupportedContentTypeIs415() async throws {
        try await expect(
            Self.good, status: .unsupportedMediaType, message: "Content-Type 'application/xml' is not supported",
            headers: [.contentType: "application/xml"])
    }

    @Test func unsupportedContentEncodingIs415() async throws {
        try await expect(
            Self.good, status: .unsupportedMediaType, message: "Content-Encoding 'br' is not supported", headers: [.contentEncoding: "br"])
    }

    @Test func emptyBodyIs400() async throws {
        try await expect("", status: .badRequest, message: "body is empty")
    }
}
