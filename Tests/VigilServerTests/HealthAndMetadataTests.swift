import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VigilServer

struct HealthAndMetadataTests {
    @Test func liveIsAlways200() async throws {
        let repository = try TestRepository()
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        try await app.test(.router) { client async throws in
            #expect(try await client.get("/v2/health/live").status == .ok)
        }
    }

    @Test func readyIs503WithTheBrokenModelNamedWhenStrict() async throws {
        let repository = try TestRepository()
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        try await app.test(.router) { client async throws in
            let response = try await client.get("/v2/health/ready")
            #expect(response.status == .serviceUnavailable)
            #expect(response.errorMessage.contains("broken"))
        }
    }

    @Test func readyIs200WhenEveryModelLoaded() async throws {
        let repository = try TestRepository(includeBroken: false)
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        try await app.test(.router) { client async throws in
            #expect(try await client.get("/v2/health/ready").status == .ok)
        }
    }

    @Test func readyIs200DespiteABrokenModelWhenNotStrict() async throws {
        let repository = try TestRepository()
        let (app, _) = try buildApplication(configuration: repository.configuration { $0.strictReadiness = false }, logger: .quiet)
        try await app.test(.router) { client async throws in
            #expect(try await client.get("/v2/health/ready").status == .ok)
        }
    }

    @Test func serverMetadataListsOnlyImplementedExtensions() async throws {
        let repository = try TestRepository()
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        try await app.test(.router) { client async throws in
            let json = try await client.get("/v2").json
            #expect(json["name"] as? String == "vigil")
            #expect(json["extensions"] as? [String] == ["model_repository"])
        }
    }

    @Test func modelMetadataHasTensorsWithBatchDimension() async throws {
        let repository = try TestRepository()
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        try await app.test(.router) { client async throws in
            let json = try await client.get("/v2/models/iris").json
            #expect(json["name"] as? String == "iris")
            #expect(json["versions"] as? [String] == ["1"])
            let inputs = try #require(json["inputs"] as? [[String: Any]])
            #expect(inputs.count == 1)
            #expect(inputs[0]["shape"] as? [Int] == [-1, 4])
            #expect(inputs[0]["datatype"] as? String == "FP64")
            let outputs = try #require(json["outputs"] as? [[String: Any]])
            #expect(outputs.map { $0["name"] as? String } == ["label", "probabilities"])
            #expect(outputs[0]["datatype"] as? String == "BYTES")
            #expect(outputs[1]["shape"] as? [Int] == [-1, 3])
        }
    }

    @Test func modelReadyIsTheStatusCode() async throws {
        let repository = try TestRepository()
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        try await app.test(.router) { client async throws in
            #expect(try await client.get("/v2/models/iris/ready").status == .ok)
            #expect(try await client.get("/v2/models/versioned/versions/1/ready").status == .ok)
            let broken = try await client.get("/v2/models/broken/ready")
            #expect(broken.status == .serviceUnavailable)
            #expect(broken.errorMessage.contains("failed to load"))
            #expect(try await client.get("/v2/models/nope/ready").status == .notFound)
            #expect(try await client.get("/v2/models/versioned/versions/9/ready").status == .notFound)
        }
    }

    @Test func versionsAreListedAndTheHighestServesByDefault() async throws {
        let repository = try TestRepository()
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        try await app.test(.router) { client async throws in
            #expect(try await client.get("/v2/models/versioned").json["versions"] as? [String] == ["1", "2"])
            let body = #"{"inputs":[{"name":"x","shape":[1],"datatype":"FP64","data":[5]}]}"#
            let latest = try await client.post("/v2/models/versioned/infer", body).json
            #expect(latest["model_version"] as? String == "2")
            #expect((latest["outputs"] as? [[String: Any]])?.first?["data"] as? [Double] == [105])
            let first = try await client.post("/v2/models/versioned/versions/1/infer", body).json
            #expect((first["outputs"] as? [[String: Any]])?.first?["data"] as? [Double] == [5])
        }
    }

    @Test func unknownRoutesAreJSON404s() async throws {
        let repository = try TestRepository()
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        try await app.test(.router) { client async throws in
            let response = try await client.get("/v3/whatever")
            #expect(response.status == .notFound)
            #expect(response.errorMessage.contains("/v3/whatever"))
        }
    }
}
