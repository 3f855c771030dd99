import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VigilServer

/// `/openapi.json` describes the routes the server has, under the prefix the request came in on.
/// (tools/check-openapi.sh validates it and fuzzes the live server from it.)
struct OpenAPITests {
    @Test func theDocumentListsEveryRouteUnderTheBasePath() async throws {
        let repository = try TestRepository()
        let (app, _) = try buildApplication(configuration: repository.configuration { $0.basePath = "/vigil" }, logger: .quiet)
        try await app.test(.router) { client in
            let response = try await client.get("/vigil/openapi.json")
            #expect(response.status == .ok)
            let document = try response.json
            #expect(document["openapi"] as? String == "3.1.0")
            #expect((document["servers"] as? [[String: String]])?.first?["url"] == "/vigil")
            let paths = try #require(document["paths"] as? [String: Any])
            // Each documented path answers something other than "no route" on the live router.
            for (path, item) in paths {
                let operations = (item as? [String: Any] ?? [:]).keys.filter { ["get", "post"].contains($0) }
                let concrete = path.replacing("{name}", with: "iris").replacing("{version}", with: "1").replacing("{id}", with: "1")
                for operation in operations {
                    let answer = try await client.execute(
                        uri: "/vigil" + concrete, method: operation == "get" ? .get : .post,
                        headers: [.contentType: "application/json"], body: .init(string: "{}"))
                    #expect(!(answer.status == .notFound && answer.errorMessage.hasPrefix("no route")), "\(operation) \(path) has no route")
                }
            }
            for path in [
                "/v2/models/{name}/infer", "/v1/models/{name}:predict", "/v1/models/{name}/drift/history", "/dashboard", "/metrics",
            ] {
                #expect(paths[path] != nil, "\(path) is not documented")
            }
        }
    }
}

/// Headers every answer carries, errors included.
struct ResponseHeaderTests {
    @Test func everyAnswerSaysNoSniffAndNoServerVersion() async throws {
        let repository = try TestRepository()
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        try await app.test(.live) { client in
            for path in ["/v2/health/live", "/v2/models/nope", "/metrics", "/openapi.json", "/no/such/route"] {
                let response = try await client.get(path)
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(path)")
                #expect(response.headers[.server] == "vigil", "\(path): \(response.headers[.server] ?? "none")")
            }
        }
    }
}
