import NIOCore

extension InferenceResponse {
    /// The response as JSON, written as `JSONEncoder` would encode it (absent fields left out).
    func write(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"model_name":"#)
        buffer.writeJSONString(modelName)
        buffer.writeStaticString(#","model_version":"#)
        buffer.writeJSONString(modelVersion)
        if let id {
            buffer.writeStaticString(#","id":"#)
            buffer.writeJSONString(id)
        }
        if let parameters {
            buffer.writeStaticString(#","parameters":"#)
            buffer.writeJSONValue(.object(parameters))
        }
        buffer.writeStaticString(#","outputs":"#)
        buffer.writeJSONArray(outputs) { buffer, output in output.write(into: &buffer) }
        buffer.writeStaticString("}")
    }

    /// Bytes enough for the JSON of most responses, so that the buffer is allocated once.
    var estimatedJSONSize: Int {
        outputs.reduce(160 + modelName.utf8.count + (id?.utf8.count ?? 0)) { size, output in
            size + 64 + output.name.utf8.count + output.shape.count * 8 + (output.sendsBinary ? output.data.binaryByteCount : output.data.estimatedJSONSize)
        }
    }
}

extension InferenceResponse.Output {
    func write(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"name":"#)
        buffer.writeJSONString(name)
        buffer.writeStaticString(#","datatype":"#)
        buffer.writeJSONString(datatype)
        buffer.writeStaticString(#","shape":"#)
        buffer.writeJSONArray(shape) { buffer, dimension in buffer.writeJSONNumber(dimension) }
        if sendsBinary {
            buffer.writeStaticString(#","parameters":{"binary_data_size":"#)
            buffer.writeJSONNumber(data.binaryByteCount)
            buffer.writeStaticString("}}")
        } else {
            buffer.writeStaticString(#","data":"#)
            data.write(into: &buffer)
            buffer.writeStaticString("}")
        }
    }
}

extension OutputData {
    func write(into buffer: inout ByteBuffer) {
        switch self {
        case .float32(let values): buffer.writeJSONArray(values) { buffer, value in buffer.writeJSONNumber(value) }
        case .float64(let values): buffer.writeJSONArray(values) { buffer, value in buffer.writeJSONNumber(value) }
        case .int64(let values): buffer.writeJSONArray(values) { buffer, value in buffer.writeJSONNumber(value) }
        case .strings(let values): buffer.writeJSONArray(values) { buffer, value in buffer.writeJSONString(value) }
        }
    }

    var estimatedJSONSize: Int {
        switch self {
        case .float32(let values): values.count * 14
        case .float64(let values): values.count * 24
        case .int64(let values): values.count * 8
        case .strings(let values): values.reduce(2) { $0 + $1.utf8.count + 3 }
        }
    }
}
