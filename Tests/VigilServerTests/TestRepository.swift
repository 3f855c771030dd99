import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import VigilServer

/// A model repository in a temporary folder, with models whose outputs are easy to compute by hand.
struct TestRepository {
    let directory: URL

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    init(includeBroken: Bool = true) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-repo-\(UUID().uuidString)")
        let files = FileManager.default
        try files.createDirectory(at: directory, withIntermediateDirectories: true)
        try files.copyItem(
            at: Self.repositoryRoot.appendingPathComponent("models/iris-logistic"), to: directory.appendingPathComponent("iris"))
        // y = 2a + 3b + 1, computed in FP32.
        try write(
            "reg32/model.json",
            #"{"format":"vigil-linear","kind":"regression","features":["a","b"],"coefficients":[[2,3]],"intercepts":[1],"datatype":"FP32"}"#
        )
        try write("reg32/reference.csv", "a,b\n1,2\n3,4\n")
        // Integer classes 0/1, positive when x > 0.
        try write(
            "binary/model.json",
            #"{"format":"vigil-linear","kind":"logistic","features":["x"],"classes":[0,1],"coefficients":[[1]],"intercepts":[0]}"#)
        try write(
            "versioned/1/model.json",
            #"{"format":"vigil-linear","kind":"regression","features":["x"],"coefficients":[[1]],"intercepts":[0]}"#)
        try write(
            "versioned/2/model.json",
            #"{"format":"vigil-linear","kind":"regression","features":["x"],"coefficients":[[1]],"intercepts":[100]}"#)
        if includeBroken { try write("broken/model.json", "{ this is not json") }
    }

    func write(_ path: String, _ text: String) throws {
        let url = directory.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func configuration(_ adjust: (inout ServerConfiguration) -> Void = { _ in }) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.modelsDirectory = directory
        configuration.port = 0
        configuration.adminToken = "s3cret"
        configuration.databasePath = directory.appendingPathComponent("vigil.sqlite").path
        adjust(&configuration)
        return configuration
    }
}

extension TestResponse {
    /// The body as a JSON object.
    var json: [String: Any] {
        get throws {
            let data = Data(body.readableBytesView)
            return try (JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        }
    }

    /// The `error` message of an error body.
    var errorMessage: String {
        (try? json["error"] as? String) ?? "<no error field in \(String(buffer: body))>"
    }
}

extension TestClientProtocol {
    func post(_ uri: String, _ json: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        if headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: json))
    }

    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: headers)
    }
}

extension Logger {
    /// A logger for tests: only critical messages, so expected load failures do not flood the output.
    static var quiet: Logger {
        var logger = Logger(label: "vigil.test")
        logger.logLevel = .critical
        return logger
    }
}
