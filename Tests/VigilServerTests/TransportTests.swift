import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import VigilModels
import VigilServer

/// gzip request bodies, gzip bombs, gzip responses and the base path.
struct TransportTests {
    let repository: TestRepository
    init() throws { repository = try TestRepository() }

    func gzip(_ text: String) -> ByteBuffer {
        ByteBuffer(bytes: Array(text.utf8).withUnsafeBytes { Gzip.compress($0) })
    }

    @Test func gzipRequestBodiesAreInflated() async throws {
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        try await app.test(.router) { client async throws in
            let body = gzip(#"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","data":[1,2]}]}"#)
            let response = try await client.execute(
                uri: "/v2/models/reg32/infer", method: .post, headers: [.contentEncoding: "gzip", .contentType: "application/json"],
                body: body)
            #expect(response.status == .ok)
            #expect((try response.json["outputs"] as? [[String: Any]])?.first?["data"] as? [Double] == [9])
        }
    }

    @Test func gzipBombIsRejectedWith413() async throws {
        let (app, _) = try buildApplication(configuration: repository.configuration { $0.bodyLimit = 1 << 20 }, logger: .quiet)
        try await app.test(.router) { client async throws in
            let bomb = #"{"inputs":[],"pad":""# + String(repeating: " ", count: 20 << 20) + "\"}"
            let body = gzip(bomb)
            #expect(body.readableBytes < 1 << 20)
            let response = try await client.execute(
                uri: "/v2/models/reg32/infer", method: .post, headers: [.contentEncoding: "gzip"], body: body)
            #expect(response.status == .contentTooLarge)
            #expect(response.errorMessage.contains("inflates to more than the 1048576-byte limit"))
        }
    }

    @Test func corruptGzipIs400() async throws {
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        try await app.test(.router) { client async throws in
            let response = try await client.execute(
                uri: "/v2/models/reg32/infer", method: .post, headers: [.contentEncoding: "gzip"], body: ByteBuffer(string: "plain text"))
            #expect(response.status == .badRequest)
            #expect(response.errorMessage.contains("not valid gzip"))
        }
    }

    @Test func largeResponsesAreGzippedWhenAccepted() async throws {
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        let rows = Array(repeating: "[5.1,3.5,1.4,0.2]", count: 200).joined(separator: ",")
        let body = #"{"inputs":[{"name":"input","shape":[200,4],"datatype":"FP64","data":[\#(rows)]}]}"#
        try await app.test(.router) { client async throws in
            let zipped = try await client.post("/v2/models/iris/infer", body, headers: [.acceptEncoding: "br, gzip;q=0.8"])
            #expect(zipped.headers[.contentEncoding] == "gzip")
            let inflated = try Gzip.decompress(Array(buffer: zipped.body), limit: 1 << 24)
            let plain = try await client.post("/v2/models/iris/infer", body)
            #expect(plain.headers[.contentEncoding] == nil)
            let zippedJSON = try JSONSerialization.jsonObject(with: Data(inflated)) as? NSDictionary
            let plainJSON = try JSONSerialization.jsonObject(with: Data(plain.body.readableBytesView)) as? NSDictionary
            #expect(zippedJSON != nil && zippedJSON == plainJSON)
            #expect(zipped.body.readableBytes < plain.body.readableBytes)
            let refused = try await client.post("/v2/models/iris/infer", body, headers: [.acceptEncoding: "gzip;q=0"])
            #expect(refused.headers[.contentEncoding] == nil)
        }
    }

    @Test func smallResponsesAreNotGzipped() async throws {
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        try await app.test(.router) { client async throws in
            let response = try await client.get("/v2/health/live", headers: [.acceptEncoding: "gzip"])
            #expect(response.headers[.contentEncoding] == nil)
        }
    }

    @Test func basePathPrefixesEveryRoute() async throws {
        let (app, _) = try buildApplication(configuration: repository.configuration { $0.basePath = "/vigil" }, logger: .quiet)
        try await app.test(.router) { client async throws in
            #expect(try await client.get("/vigil/v2/health/live").status == .ok)
            #expect(try await client.get("/vigil/metrics").status == .ok)
            #expect(try await client.get("/v2/health/live").status == .notFound)
        }
    }
}
