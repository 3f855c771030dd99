import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilServer

/// Model and version folders may be symlinks inside the repository (as Kubernetes ConfigMap
/// volumes make them), never to a place outside it.
struct RepositoryPathTests {
    @Test func symlinkedFoldersServeInsideTheRepositoryAndNeverOutsideIt() async throws {
        let repository = try TestRepository(includeBroken: false)
        let files = FileManager.default
        let outside = files.temporaryDirectory.appendingPathComponent("vigil-outside-\(UUID().uuidString)")
        try files.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data(#"{"format":"vigil-linear","kind":"regression","features":["x"],"coefficients":[[1]],"intercepts":[0]}"#.utf8)
            .write(to: outside.appendingPathComponent("model.json"))
        // As a ConfigMap volume lays it out: ..data/<model> holds the files, <model> links to it.
        try repository.write(
            "..data/linked/model.json",
            #"{"format":"vigil-linear","kind":"regression","features":["x"],"coefficients":[[2]],"intercepts":[0]}"#)
        try files.createSymbolicLink(
            atPath: repository.directory.appendingPathComponent("linked").path, withDestinationPath: "..data/linked")
        try files.createSymbolicLink(atPath: repository.directory.appendingPathComponent("escape").path, withDestinationPath: outside.path)
        try files.createSymbolicLink(
            atPath: repository.directory.appendingPathComponent("versioned/3").path, withDestinationPath: outside.path)
        let (app, _) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        try await app.test(.router) { client in
            let linked = try await client.post(
                "/v2/models/linked/infer", #"{"inputs":[{"name":"input","shape":[1,1],"datatype":"FP64","data":[3]}]}"#)
            #expect(linked.status == .ok, "\(linked.errorMessage)")
            #expect((try linked.json["outputs"] as? [[String: Any]])?.first?["data"] as? [Double] == [6])
            #expect(try await client.get("/v2/models/escape").status == .notFound)
            #expect(try await client.get("/v2/models/versioned/versions/3").status == .notFound)
            let versions = try await client.get("/v2/models/versioned").json["versions"] as? [String]
            #expect(versions == ["1", "2"])
        }
    }
}
