import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import VigilServer

/// Triton's binary tensor data extension: a JSON header of `Inference-Header-Content-Length`
/// bytes, then each binary tensor's little-endian bytes in order.
struct BinaryTensorTests {
    let repository: TestRepository
    init() throws { repository = try TestRepository() }

    static let headerLength = HTTPField.Name("Inference-Header-Content-Length")!

    /// A request body: `json`, then `tail`; the header says the JSON's length unless `header` is given.
    func infer(_ model: String, json: String, tail: [UInt8], header: String? = nil) async throws -> TestResponse {
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        var bytes = ByteBuffer(string: json)
        bytes.writeBytes(tail)
        let body = bytes
        let headers: HTTPFields = [Self.headerLength: header ?? String(json.utf8.count), .contentType: "application/octet-stream"]
        return try await app.test(.router) { client async throws in
            try await client.execute(uri: "/v2/models/\(model)/infer", method: .post, headers: headers, body: body)
        }
    }

    static func float32(_ values: [Float]) -> [UInt8] {
        values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian) { Array($0) } }
    }

    static func bytesElements(_ values: [String]) -> [UInt8] {
        values.flatMap { withUnsafeBytes(of: UInt32($0.utf8.count).littleEndian) { Array($0) } + Array($0.utf8) }
    }

    /// The JSON header and the binary tail of a binary response.
    static func split(_ response: TestResponse) throws -> ([String: Any], [UInt8]) {
        let length = try #require(response.headers[headerLength].flatMap { Int($0) })
        let bytes = Array(response.body.readableBytesView)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(bytes[0..<length])) as? [String: Any])
        return (json, Array(bytes[length...]))
    }

    @Test func binaryInputsAndBinaryOutputsGiveTheJSONAnswers() async throws {
        let json =
            #"{"inputs":[{"name":"input","shape":[2,2],"datatype":"FP32","parameters":{"binary_data_size":16}}],"parameters":{"binary_data_output":true}}"#
        let response = try await infer("reg32", json: json, tail: Self.float32([1, 2, 3, 4]))
        #expect(response.status == .ok, "\(String(buffer: response.body))")
        #expect(response.headers[.contentType] == "application/octet-stream")
        let (header, tail) = try Self.split(response)
        let output = try #require((header["outputs"] as? [[String: Any]])?.first)
        #expect(output["data"] == nil)
        #expect((output["parameters"] as? [String: Any])?["binary_data_size"] as? Int == 8)
        #expect(output["datatype"] as? String == "FP32")
        let values = stride(from: 0, to: tail.count, by: 4).map {
            Float(bitPattern: UInt32(littleEndian: tail[$0..<$0 + 4].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }))
        }
        // y = 2a + 3b + 1
        #expect(values == [9, 19])
    }

    /// JSON bodies take the JSON types, in any case and with parameters; binary bodies also take
    /// `application/octet-stream`, and only they do. Near misses of either are refused with 415.
    @Test func contentTypesAreTakenAsDeclaredAndNearMissesRefused() async throws {
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        let json = #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","data":[1,1]}]}"#
        let binaryHeader = #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","parameters":{"binary_data_size":8}}]}"#
        let binaryBody = ByteBuffer(bytes: Array(binaryHeader.utf8) + Self.float32([1, 1]))
        let cases: [(type: String, binary: Bool, status: HTTPResponse.Status)] = [
            ("application/json", false, .ok), ("Application/JSON; charset=utf-8", false, .ok), ("text/plain", false, .ok),
            ("application/vnd.api+json", false, .ok), ("application/octet-stream", false, .unsupportedMediaType),
            ("application/jsonx", false, .unsupportedMediaType), ("application/jso", false, .unsupportedMediaType),
            ("application/octet-stream", true, .ok), ("Application/Octet-Stream", true, .ok), ("application/octet-stream; x=1", true, .ok),
            ("application/json", true, .ok), ("application/octet-streamx", true, .unsupportedMediaType),
            ("application/octet-strea", true, .unsupportedMediaType), ("application/xml", true, .unsupportedMediaType),
        ]
        try await app.test(.router) { client async throws in
            for (type, binary, status) in cases {
                var headers: HTTPFields = [.contentType: type]
                if binary { headers[Self.headerLength] = String(binaryHeader.utf8.count) }
                let response = try await client.execute(
                    uri: "/v2/models/reg32/infer", method: .post, headers: headers, body: binary ? binaryBody : ByteBuffer(string: json))
                #expect(response.status == status, "\(type), binary \(binary): \(String(buffer: response.body))")
                if status == .unsupportedMediaType { #expect(response.errorMessage.contains("Content-Type '\(type)' is not supported")) }
            }
        }
    }

    @Test func binaryInputsWithJSONOutputsAndPerOutputChoice() async throws {
        let json =
            #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","parameters":{"binary_data_size":8}}],"outputs":[{"name":"predictions","parameters":{"binary_data":false}}],"parameters":{"binary_data_output":true}}"#
        let response = try await infer("reg32", json: json, tail: Self.float32([1, 1]))
        #expect(response.status == .ok)
        #expect(response.headers[Self.headerLength] == nil)
        let output = try #require((try response.json["outputs"] as? [[String: Any]])?.first)
        #expect(output["data"] as? [Double] == [6])
    }

    @Test func bytesAndIntegerElementsDecode() async throws {
        let strings = #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"BYTES","parameters":{"binary_data_size":12}}]}"#
        let fromStrings = try await infer("reg32", json: strings, tail: Self.bytesElements(["1.5", "2"]))
        #expect(fromStrings.status == .ok, "\(String(buffer: fromStrings.body))")
        #expect((try fromStrings.json["outputs"] as? [[String: Any]])?.first?["data"] as? [Double] == [10])
        let integers = #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"INT64","parameters":{"binary_data_size":16}}]}"#
        let tail = [Int64(2), Int64(-1)].flatMap { withUnsafeBytes(of: $0.littleEndian) { Array($0) } }
        let fromIntegers = try await infer("reg32", json: integers, tail: tail)
        #expect((try fromIntegers.json["outputs"] as? [[String: Any]])?.first?["data"] as? [Double] == [2])
    }

    @Test(arguments: [
        ("-1", "cannot be negative"),
        ("twelve", "not a whole number"),
        ("100000", "the body holds only"),
    ])
    func aBadHeaderLengthIs400(header: String, message: String) async throws {
        let json = #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","parameters":{"binary_data_size":8}}]}"#
        let response = try await infer("reg32", json: json, tail: Self.float32([1, 1]), header: header)
        #expect(response.status == .badRequest)
        #expect(response.errorMessage.contains(message), "\(response.errorMessage)")
    }

    @Test func binarySizesThatDoNotAddUpToTheBodyAre400() async throws {
        let json = #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","parameters":{"binary_data_size":8}}]}"#
        let extra = try await infer("reg32", json: json, tail: Self.float32([1, 1, 1]))
        #expect(
            extra.status == .badRequest && extra.errorMessage.contains("no input's binary_data_size accounts for"), "\(extra.errorMessage)")
        let short = try await infer("reg32", json: json, tail: Self.float32([1]))
        #expect(short.status == .badRequest && short.errorMessage.contains("claims 8 binary bytes"), "\(short.errorMessage)")
        let ragged = #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","parameters":{"binary_data_size":7}}]}"#
        let partial = try await infer("reg32", json: ragged, tail: Array(Self.float32([1, 1]).prefix(7)))
        #expect(
            partial.status == .badRequest && partial.errorMessage.contains("not a whole number of 4-byte FP32"), "\(partial.errorMessage)")
        let negative = #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","parameters":{"binary_data_size":-8}}]}"#
        let refused = try await infer("reg32", json: negative, tail: [])
        #expect(refused.status == .badRequest && refused.errorMessage.contains("binary_data_size is -8;"), "\(refused.errorMessage)")
        for (size, named) in [("\"8\"", "a string"), ("8.5", "8.5"), ("[8]", "an array"), ("true", "true")] {
            let odd = #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","parameters":{"binary_data_size":"# + size + "}}]}"
            let answer = try await infer("reg32", json: odd, tail: Self.float32([1, 1]))
            #expect(answer.status == .badRequest && answer.errorMessage.contains("binary_data_size is \(named);"), "\(answer.errorMessage)")
        }
    }

    @Test func dataAndBinaryTogetherOrNeitherAre400() async throws {
        let both = #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","data":[1,1],"parameters":{"binary_data_size":8}}]}"#
        let response = try await infer("reg32", json: both, tail: Self.float32([1, 1]))
        #expect(response.status == .badRequest && response.errorMessage.contains("both data and parameters.binary_data_size"))
        let neither = #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32"}]}"#
        let missing = try await infer("reg32", json: neither, tail: [])
        #expect(missing.status == .badRequest && missing.errorMessage.contains("has no data"), "\(missing.errorMessage)")
        let shape = #"{"inputs":[{"name":"input","shape":[2,2],"datatype":"FP32","parameters":{"binary_data_size":8}}]}"#
        let wrongShape = try await infer("reg32", json: shape, tail: Self.float32([1, 1]))
        #expect(wrongShape.status == .badRequest && wrongShape.errorMessage.contains("shape [2, 2]"), "\(wrongShape.errorMessage)")
    }
}
