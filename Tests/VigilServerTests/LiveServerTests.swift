import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import VigilModels
import VigilServer

/// The real server on a free loopback port, spoken to over TCP.
struct LiveServerTests {
    @Test func liveServerAnswersInferenceWithGzipBothWays() async throws {
        let repository = try TestRepository()
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        try await app.test(.live) { client async throws in
            #expect(client.port != nil)
            #expect(try await client.get("/v2/health/live").status == .ok)
            let rows = Array(repeating: "[1,2]", count: 2000).joined(separator: ",")
            let text = #"{"inputs":[{"name":"input","shape":[2000,2],"datatype":"FP32","data":[\#(rows)]}]}"#
            let body = ByteBuffer(bytes: Array(text.utf8).withUnsafeBytes { Gzip.compress($0) })
            let response = try await client.execute(
                uri: "/v2/models/reg32/infer", method: .post,
                headers: [.contentEncoding: "gzip", .acceptEncoding: "gzip", .contentType: "application/json"], body: body
            )
            #expect(response.status == .ok)
            #expect(response.headers[.contentEncoding] == "gzip")
            let inflated = try Gzip.decompress(Array(buffer: response.body), limit: 1 << 20)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(inflated)) as? [String: Any])
            let data = try #require((json["outputs"] as? [[String: Any]])?.first?["data"] as? [Double])
            #expect(data == Array(repeating: 9, count: 2000))
            let bad = try await client.post("/v2/models/reg32/infer", "{oops")
            #expect(bad.status == .badRequest)
            #expect(try await client.get("/v2/models/iris/ready").status == .ok)
        }
    }
}
