/// A KServe V2 inference response.
struct InferenceResponse: Sendable, Encodable {
    struct Output: Sendable, Encodable {
        var name: String
        var datatype: String
        var shape: [Int]
        var data: OutputData
        /// Whether the values follow the JSON header as binary data (Triton's extension): the JSON
        /// then carries `parameters.binary_data_size` in place of `data`.
        var sendsBinary = false

        enum CodingKeys: String, CodingKey {
            case name, datatype, shape, parameters, data
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(datatype, forKey: .datatype)
            try container.encode(shape, forKey: .shape)
            if sendsBinary {
                try container.encode(["binary_data_size": data.binaryByteCount], forKey: .parameters)
            } else {
                try container.encode(data, forKey: .data)
            }
        }
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
