import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VigilServer

/// TF-Serving / KServe V1 predict and status.
struct PredictTests {
    let repository: TestRepository
    init() throws { repository = try TestRepository() }

    func predict(_ model: String, _ body: String) async throws -> TestResponse {
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        return try await app.test(.router) { client async throws in try await client.post("/v1/models/\(model):predict", body) }
    }

    @Test func rowInstancesGivePredictions() async throws {
        let json = try await predict("reg32", #"{"instances":[[1,2],[0,0]]}"#).json
        #expect(json["predictions"] as? [Double] == [9, 1])
    }

    @Test func objectInstancesAreKeyedByFeature() async throws {
        let json = try await predict("reg32", #"{"instances":[{"b":2,"a":1},{"a":0,"b":0}]}"#).json
        #expect(json["predictions"] as? [Double] == [9, 1])
    }

    @Test func columnarInputsAreKeyedByFeature() async throws {
        let json = try await predict("reg32", #"{"inputs":{"a":[1,0],"b":[2,0]}}"#).json
        #expect(json["predictions"] as? [Double] == [9, 1])
    }

    @Test func classifiersPredictLabels() async throws {
        let json = try await predict("iris", #"{"instances":[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}"#).json
        #expect(json["predictions"] as? [String] == ["setosa", "virginica"])
    }

    @Test func aMissingFeatureIs400NamingIt() async throws {
        let response = try await predict("reg32", #"{"instances":[{"a":1}]}"#)
        #expect(response.status == .badRequest)
        #expect(response.errorMessage.contains("instance 0 lacks feature 'b'"))
    }

    @Test func nullIsMissingAndRejectedByALinearModel() async throws {
        let response = try await predict("reg32", #"{"instances":[[1,null]]}"#)
        #expect(response.status == .badRequest)
        #expect(response.errorMessage.contains("NaN (a missing value) at row 0, feature 'b'"))
    }

    @Test func neitherInstancesNorInputsIs400() async throws {
        let response = try await predict("reg32", #"{"rows":[[1,2]]}"#)
        #expect(response.status == .badRequest)
        #expect(response.errorMessage.contains("\"instances\""))
    }

    @Test func statusReportsEachVersion() async throws {
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        try await app.test(.router) { client async throws in
            let json = try await client.get("/v1/models/versioned").json
            let statuses = try #require(json["model_version_status"] as? [[String: Any]])
            #expect(statuses.map { $0["version"] as? String } == ["2", "1"])
            #expect(statuses.allSatisfy { $0["state"] as? String == "AVAILABLE" })
            #expect(try await client.get("/v1/models/ghost").status == .notFound)
            let broken = try await client.get("/v1/models/broken").json
            #expect((broken["model_version_status"] as? [[String: Any]])?.first?["state"] as? String == "END")
        }
    }

    @Test func aPostWithoutPredictVerbIs404() async throws {
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        try await app.test(.router) { client async throws in
            #expect(try await client.post("/v1/models/reg32", #"{"instances":[[1,2]]}"#).status == .notFound)
        }
    }
}
