import Hummingbird

/// V2 server health and metadata: `/v2/health/live`, `/v2/health/ready`, `/v2`.
struct HealthController<Context: RequestContext> {
    let repository: ModelRepository
    let strictReadiness: Bool

    /// The protocol extensions Vigil implements, as Triton names them.
    static var extensions: [String] { ["model_repository"] }

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("health/live") { _, _ in JSONResponse.empty() }
        group.get("health/ready") { _, _ in
            // Readiness is the status code, so probes need not parse a body.
            if isReady() { return JSONResponse.empty() }
            let notReady = repository.snapshot.values.filter { !$0.isReady }.map(\.name).sorted()
            throw VigilError.unavailable("not ready: models not ready: \(notReady.joined(separator: ", "))")
        }
        group.get { _, _ in
            try JSONResponse.make(ServerMetadata(name: "vigil", version: VigilVersion.current, extensions: Self.extensions))
        }
    }

    private func isReady() -> Bool {
        guard strictReadiness else { return true }
        return repository.snapshot.values.allSatisfy(\.isReady)
    }

    struct ServerMetadata: Encodable {
        var name: String
        var version: String
        var extensions: [String]
    }
}
