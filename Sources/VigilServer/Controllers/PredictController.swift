import Hummingbird
import VigilModels

/// TF-Serving / KServe V1: `POST /v1/models/{name}:predict` and `GET /v1/models/{name}`.
struct PredictController<Context: RequestContext> {
    let repository: ModelRepository
    let predictor: Predictor
    let bodyLimit: Int

    func addRoutes(to group: RouterGroup<Context>) {
        // `{name}:predict` is one path segment, so the verb is split off here.
        group.post("models/{name}") { request, context in
            let segment = context.parameters.get("name") ?? ""
            guard segment.hasSuffix(":predict") else {
                throw VigilError.notFound("use POST /v1/models/<name>:predict")
            }
            var request = request
            return try await predict(request: &request, name: String(segment.dropLast(":predict".count)))
        }
        group.get("models/{name}") { _, context in
            let entry = try repository.requireEntry(named: context.parameters.get("name") ?? "")
            return try JSONResponse.make(ModelStatus(entry))
        }
    }

    private func predict(request: inout Request, name: String) async throws -> Response {
        let served = try repository.resolveServing(name: name, version: nil)
        try request.checkContentType()
        let body = try RequestDecoding.predictRequest(try await request.collectBody(limit: bodyLimit))
        let signature = served.model.signature
        let batch = try RequestDecoding.batch(body, modelName: name, signature: signature)
        let prediction = try predictor.predict(served, batch)
        return JSONResponse.predictions(Self.predictions(prediction, task: signature.task))
    }

    /// Labels for classifiers; a value (or a list per row, for several targets) for regressors.
    static func predictions(_ prediction: Prediction, task: ModelTask) -> [JSONValue] {
        switch (prediction, task) {
        case (.classification(let labels, _, _), .classification(.strings(let classes))):
            return labels.map { .string(classes[$0]) }
        case (.classification(let labels, _, _), .classification(.integers(let classes))):
            return labels.map { .number(Double(classes[$0])) }
        case (.regression(let values, 1), _):
            return values.map { .number($0) }
        case (.regression(let values, let targets), _):
            return stride(from: 0, to: values.count, by: targets).map { start in
                .array(values[start..<start + targets].map { .number($0) })
            }
        default:
            return []
        }
    }

    /// TF-Serving's model status document.
    struct ModelStatus: Encodable {
        struct VersionStatus: Encodable {
            struct Status: Encodable {
                var error_code: String
                var error_message: String
            }
            var version: String
            var state: String
            var status: Status
        }
        var model_version_status: [VersionStatus]

        init(_ entry: ModelEntry) {
            model_version_status = entry.versions.sorted { $0.key > $1.key }.map { version, state in
                switch state {
                case .ready:
                    VersionStatus(version: String(version), state: "AVAILABLE", status: .init(error_code: "OK", error_message: ""))
                case .failed(let message):
                    VersionStatus(version: String(version), state: "END", status: .init(error_code: "UNKNOWN", error_message: message))
                case .unavailable:
                    VersionStatus(version: String(version), state: "END", status: .init(error_code: "OK", error_message: "unloaded"))
                }
            }
        }
    }
}
