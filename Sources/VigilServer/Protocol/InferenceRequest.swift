/// A KServe V2 / Open Inference Protocol inference request.
struct InferenceRequest: Sendable, Decodable {
    struct Input: Sendable, Decodable {
        var name: String
        var shape: [Int]
        var datatype: String
        var parameters: InferenceParameters?
        /// Absent when the tensor comes as binary data after the JSON header (`parameters.binary_data_size`).
        var data: TensorData?
    }

    struct RequestedOutput: Sendable, Decodable {
        var name: String
        var parameters: InferenceParameters?
    }

    var id: String?
    var parameters: InferenceParameters?
    var inputs: [Input]
    var outputs: [RequestedOutput]?
}

/// The request `parameters` Vigil reads: those of Triton's binary tensor data extension, each as sent
/// (`ParameterValue`), so that a wrong type can be named in the error. Other keys are accepted and
/// ignored (nothing is built for them), and `null` is an absent value, as in the rest of the body.
struct InferenceParameters: Sendable, Decodable {
    /// An input's `binary_data_size`.
    var binaryDataSize: ParameterValue?
    /// A requested output's `binary_data`.
    var binaryData: ParameterValue?
    /// The request's `binary_data_output`.
    var binaryDataOutput: ParameterValue?

    enum CodingKeys: String, CodingKey {
        case binaryDataSize = "binary_data_size"
        case binaryData = "binary_data"
        case binaryDataOutput = "binary_data_output"
    }
}
