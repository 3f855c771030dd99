/// A KServe V2 inference response.
struct InferenceResponse: Sendable, Encodable {
    struct Output: Sendable, Encodable {
        var name: String
        var datatype: String
        var shape: [Int]
        /// `binary_data_size` when the values follow the JSON header as binary data.
        var parameters: [String: JSONValue]?
        /// Absent when the values are sent as binary data.
        var data: OutputData?
    }

    var modelName: String
    var modelVersion: String
    var id: String?
    var parameters: [String: JSONValue]?
    var outputs: [Output]

    enum CodingKeys: String, CodingKey {
        case modelName = "model_name"
        case modelVersion = "model_version"
        case id, parameters, outputs
    }
}

/// The values of one output tensor, typed as its datatype says.
enum OutputData: Sendable, Encodable {
    case float32([Float])
    case float64([Double])
    case int64([Int64])
    case strings([String])

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .float32(let values): try container.encode(values)
        case .float64(let values): try container.encode(values)
        case .int64(let values): try container.encode(values)
        case .strings(let values): try container.encode(values)
        }
    }
}
