import Hummingbird
import VigilModels

/// The V2 model routes: metadata, readiness and inference, with or without `/versions/{version}`.
struct InferenceController<Context: RequestContext>: Sendable {
    let repository: ModelRepository
    let predictor: Predictor
    let bodyLimit: Int

    func addRoutes(to group: RouterGroup<Context>) {
        for prefix in ["models/{name}", "models/{name}/versions/{version}"] {
            group.get(RouterPath(prefix)) { _, context in
                let (name, version) = Self.address(context)
                return try JSONResponse.make(try metadata(name: name, version: version))
            }
            group.get(RouterPath(prefix + "/ready")) { _, context in
                let (name, version) = Self.address(context)
                _ = try repository.resolve(name: name, version: version)
                return JSONResponse.empty()
            }
            group.post(RouterPath(prefix + "/infer")) { request, context in
                let (name, version) = Self.address(context)
                var request = request
                return try await infer(request: &request, name: name, version: version)
            }
        }
    }

    static func address(_ context: Context) -> (String, String?) {
        (context.parameters.get("name") ?? "", context.parameters.get("version"))
    }

    private func metadata(name: String, version: String?) throws(VigilError) -> ModelMetadata {
        let loaded = try repository.resolve(name: name, version: version)
        let versions = repository.entry(named: name).map { $0.versions.keys.sorted().map(String.init) } ?? []
        let signature = loaded.signature
        return ModelMetadata(
            name: name,
            versions: versions,
            platform: loaded.format.rawValue,
            inputs: signature.inputs.map(ModelMetadata.Tensor.init),
            outputs: signature.outputs.map(ModelMetadata.Tensor.init),
            parameters: .init(features: signature.features.map { .init(name: $0.name, kind: $0.kind.rawValue) })
        )
    }

    private func infer(request: inout Request, name: String, version: String?) async throws -> Response {
        let served = try repository.resolveServing(name: name, version: version)
        let loaded = served.model
        let body = try await readBody(&request)
        let batch = try RequestDecoding.batch(body, modelName: name, signature: loaded.signature)
        let prediction = try predictor.predict(served, batch)
        var outputs = try PredictionOutputs(signature: loaded.signature).tensors(for: prediction, requested: body.outputs?.map(\.name))
        BinaryTensorData.choose(&outputs, choice: try BinaryOutputChoice(body))
        return JSONResponse.inference(
            InferenceResponse(modelName: name, modelVersion: String(loaded.version), id: body.id, parameters: nil, outputs: outputs))
    }

    /// The request as JSON, or, with `Inference-Header-Content-Length`, a JSON header followed by
    /// binary tensors (Triton's binary tensor data extension).
    private func readBody(_ request: inout Request) async throws -> InferenceRequest {
        let header = request.headers.first(.inferenceHeaderContentLength)
        try request.checkContentType(allowingBinary: header != nil)
        return try RequestDecoding.inferenceRequest(try await request.collectBody(limit: bodyLimit), binaryHeader: header)
    }
}

extension InferenceModel {
    /// Predicts, mapping a model's complaint about the batch to 400 and anything else to 500.
    func predictForRequest(_ batch: FeatureBatch) throws(VigilError) -> Prediction {
        do {
            return try predict(batch)
        } catch  where error.kind == .invalidInput {
            throw .badRequest(error.message)
        } catch {
            throw VigilError(.internalServerError, "the model failed: \(error.message)")
        }
    }
}

/// V2 model metadata.
struct ModelMetadata: Encodable {
    struct Tensor: Encodable {
        var name: String
        var datatype: String
        var shape: [Int]

        init(_ spec: TensorSpec) {
            name = spec.name
            datatype = spec.datatype.rawValue
            shape = spec.shape
        }
    }

    struct Parameters: Encodable {
        struct Feature: Encodable {
            var name: String
            var kind: String
        }
        var features: [Feature]
    }

    var name: String
    var versions: [String]
    var platform: String
    var inputs: [Tensor]
    var outputs: [Tensor]
    var parameters: Parameters
}
