import Hummingbird
public import NIOCore
public import VigilModels

/// The request decoding of the inference routes, from body bytes to the batch a model predicts:
/// what the V2 and V1 routes run, in one place, and what the fuzzer (`Fuzz/`) drives.
public enum RequestDecoding {
    /// A V2 infer body: JSON, or with `binaryHeader` (the `Inference-Header-Content-Length` value)
    /// a JSON header followed by Triton's binary tensors.
    static func inferenceRequest(_ buffer: ByteBuffer, binaryHeader: String?) throws(VigilError) -> InferenceRequest {
        guard let binaryHeader else { return try inferenceJSON(buffer) }
        let length = try BinaryTensorData.headerLength(binaryHeader, bodyLength: buffer.readableBytes)
        // headerLength has checked that the header fits the body.
        var body = try inferenceJSON(buffer.getSlice(at: buffer.readerIndex, length: length) ?? ByteBuffer())
        let attached = buffer.withUnsafeReadableBytes { bytes in
            Result { () throws(VigilError) in
                try BinaryTensorData.attach(UnsafeRawBufferPointer(rebasing: bytes[length...]), to: &body.inputs)
            }
        }
        try attached.get()
        return body
    }

    /// A V2 infer body's JSON (the whole body, or the header before binary tensors).
    private static func inferenceJSON(_ buffer: ByteBuffer) throws(VigilError) -> InferenceRequest {
        try Request.scanJSON(InferenceRequest.self, from: buffer) { scanner throws(JSONScanner.Unsupported) in
            try InferenceRequest(scanning: &scanner)
        }
    }

    /// A V1 `:predict` body.
    static func predictRequest(_ buffer: ByteBuffer) throws(VigilError) -> PredictRequest {
        try Request.scanJSON(PredictRequest.self, from: buffer) { scanner throws(JSONScanner.Unsupported) in
            try PredictRequest(scanning: &scanner)
        }
    }

    /// The batch a V2 request carries for a model of `signature`.
    static func batch(_ body: InferenceRequest, modelName: String, signature: ModelSignature) throws(VigilError) -> FeatureBatch {
        var tensors: [NamedTensor] = []
        tensors.reserveCapacity(body.inputs.count)
        for input in body.inputs { tensors.append(try NamedTensor(input)) }
        return try FeatureBatchAssembler(modelName: modelName, signature: signature).assemble(tensors)
    }

    /// The batch a V1 `:predict` body carries for a model of `signature`.
    static func batch(_ body: PredictRequest, modelName: String, signature: ModelSignature) throws(VigilError) -> FeatureBatch {
        let tensors = try PredictRequestReader(features: signature.features).tensors(body)
        return try FeatureBatchAssembler(modelName: modelName, signature: signature).assemble(tensors)
    }

    /// Decodes a V2 infer body for `signature` as the route does; throws what the route would answer.
    public static func inferenceBatch(_ buffer: ByteBuffer, binaryHeader: String?, signature: ModelSignature) throws(VigilError)
        -> FeatureBatch
    {
        try batch(try inferenceRequest(buffer, binaryHeader: binaryHeader), modelName: "fuzz", signature: signature)
    }

    /// Decodes a V1 `:predict` body for `signature` as the route does; throws what the route would answer.
    public static func predictBatch(_ buffer: ByteBuffer, signature: ModelSignature) throws(VigilError) -> FeatureBatch {
        try batch(try predictRequest(buffer), modelName: "fuzz", signature: signature)
    }
}
