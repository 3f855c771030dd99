import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import VigilServer

struct AdminAndMetricsTests {
    let repository: TestRepository
    init() throws { repository = try TestRepository() }

    @Test func adminRoutesAreOffWithoutAToken() async throws {
        let (app, _) = try buildApplication(configuration: repository.configuration { $0.adminToken = nil }, logger: .quiet)
        try await app.test(.router) { client async throws in
            let response = try await client.post("/v2/repository/index", "{}", headers: [.authorization: "Bearer anything"])
            #expect(response.status == .forbidden)
            #expect(response.errorMessage.contains("--admin-token"))
        }
    }

    @Test func theTokenComparisonCountsTheLengthsWhole() {
        let token = Array("s3cret".utf8)
        #expect(AdminAuthMiddleware<VigilRequestContext>.constantTimeEquals(token, token))
        #expect(!AdminAuthMiddleware<VigilRequestContext>.constantTimeEquals(token + [UInt8](repeating: 0, count: 256), token))
        #expect(!AdminAuthMiddleware<VigilRequestContext>.constantTimeEquals(Array("s3cre".utf8), token))
    }

    @Test func adminRoutesNeedTheRightBearerToken() async throws {
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        try await app.test(.router) { client async throws in
            let missing = try await client.post("/v2/repository/index", "{}")
            #expect(missing.status == .unauthorized)
            #expect(missing.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let wrong = try await client.post("/v2/repository/index", "{}", headers: [.authorization: "Bearer s3cre"])
            #expect(wrong.status == .forbidden)
            #expect(!wrong.errorMessage.contains("s3cret") && !wrong.errorMessage.contains("s3cre"))
            #expect(try await client.post("/v2/repository/index", "{}", headers: [.authorization: "Bearer s3cret"]).status == .ok)
        }
    }

    @Test func indexListsEveryVersionWithItsState() async throws {
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        try await app.test(.router) { client async throws in
            let response = try await client.post("/v2/repository/index", "{}", headers: [.authorization: "Bearer s3cret"])
            let index = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: String]])
            #expect(
                index.map { "\($0["name"]!)/\($0["version"]!)/\($0["state"]!)" } == [
                    "binary/1/READY", "broken/1/UNAVAILABLE", "iris/1/READY", "reg32/1/READY", "versioned/1/READY", "versioned/2/READY",
                ])
            #expect(index[1]["reason"]?.contains("not a valid native model") == true)
        }
    }

    @Test func unloadThenLoadSwapsTheModel() async throws {
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        let auth: HTTPFields = [.authorization: "Bearer s3cret"]
        let body = #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","data":[1,1]}]}"#
        try await app.test(.router) { client async throws in
            #expect(try await client.post("/v2/repository/models/reg32/unload", "{}", headers: auth).status == .ok)
            let unloaded = try await client.post("/v2/models/reg32/infer", body)
            #expect(unloaded.status == .serviceUnavailable)
            #expect(unloaded.errorMessage.contains("unloaded"))
            // A new model file is picked up by load.
            try repository.write(
                "reg32/model.json",
                #"{"format":"vigil-linear","kind":"regression","features":["a","b"],"coefficients":[[10,10]],"intercepts":[0],"datatype":"FP32"}"#
            )
            #expect(try await client.post("/v2/repository/models/reg32/load", "{}", headers: auth).status == .ok)
            let reloaded = try await client.post("/v2/models/reg32/infer", body)
            #expect((try reloaded.json["outputs"] as? [[String: Any]])?.first?["data"] as? [Double] == [20])
            #expect(try await client.post("/v2/repository/models/ghost/load", "{}", headers: auth).status == .notFound)
            #expect(try await client.post("/v2/repository/models/..%2F..%2Fetc/load", "{}", headers: auth).status == .notFound)
            let broken = try await client.post("/v2/repository/models/broken/load", "{}", headers: auth)
            #expect(broken.status == .badRequest)
            #expect(broken.errorMessage.contains("failed to load"))
        }
    }

    @Test func metricsCountRequestsAndErrorsPerModelAndRoute() async throws {
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        try await app.test(.router) { client async throws in
            let body = #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","data":[1,1]}]}"#
            for _ in 0..<3 { _ = try await client.post("/v2/models/reg32/infer", body) }
            _ = try await client.post("/v2/models/reg32/infer", "{")
            _ = try await client.post("/v2/models/ghost-\(UUID().uuidString)/infer", body)
            let response = try await client.get("/metrics")
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(buffer: response.body)
            #expect(text.contains(#"vigil_requests_total{route="/v2/models/{name}/infer",model="reg32",status="200"} 3"#))
            #expect(text.contains(#"vigil_requests_total{route="/v2/models/{name}/infer",model="reg32",status="400"} 1"#))
            #expect(text.contains(#"vigil_request_errors_total{route="/v2/models/{name}/infer",model="reg32"} 1"#))
            #expect(text.contains(#"vigil_request_duration_seconds_count{route="/v2/models/{name}/infer",model="reg32"} 4"#))
            // Unknown model names never become label values.
            #expect(!text.contains("ghost-"))
            #expect(text.contains(#"vigil_requests_total{route="/v2/models/{name}/infer",model="",status="404"} 1"#))
        }
    }
}
