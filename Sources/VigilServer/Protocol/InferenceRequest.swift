/// A KServe V2 / Open Inference Protocol inference request.
struct InferenceRequest: Sendable, Decodable {
    struct Input: Sendable, Decodable {
        var name: String
        var shape: [Int]
        var datatype: String
        var parameters: [String: JSONValue]?
        /// Absent when the tensor comes as binary data after the JSON header (`parameters.binary_data_size`).
        var data: TensorData?
    }

    struct RequestedOutput: Sendable, Decodable {
        var name: String
        var parameters: [String: JSONValue]?
    }

    var id: String?
    var parameters: [String: JSONValue]?
    var inputs: [Input]
    var outputs: [RequestedOutput]?
}
