import NIOCore

extension InferenceResponse {
    /// The whole answer: the JSON, then the values of the outputs sent in binary (Triton's binary
    /// tensor data extension). Returns the length of the JSON part.
    func writeAnswer<Sink: JSONSink>(into buffer: inout Sink) -> Int {
        let start = buffer.writtenCount
        write(into: &buffer)
        let jsonLength = buffer.writtenCount - start
        for output in outputs where output.sendsBinary { output.data.writeBinary(into: &buffer) }
        return jsonLength
    }

    /// The response as JSON, written as `JSONEncoder` would encode it (absent fields left out).
    func write<Sink: JSONSink>(into buffer: inout Sink) {
        buffer.writeText(#"{"model_name":"#)
        buffer.writeJSONString(modelName)
        buffer.writeText(#","model_version":"#)
        buffer.writeJSONString(modelVersion)
        if let id {
            buffer.writeText(#","id":"#)
            buffer.writeJSONString(id)
        }
        if let parameters {
            buffer.writeText(#","parameters":"#)
            buffer.writeJSONValue(.object(parameters))
        }
        buffer.writeText(#","outputs":"#)
        buffer.writeJSONArray(outputs) { buffer, output in output.write(into: &buffer) }
        buffer.writeText("}")
    }

    /// Bytes enough for the whole answer of most responses (strings without escapes, parameters of
    /// under a hundred bytes), so that it is written into memory reserved once.
    var estimatedSize: Int {
        outputs.reduce(160 + modelName.utf8.count + modelVersion.utf8.count + (id?.utf8.count ?? 0)) { size, output in
            size + 96 + output.name.utf8.count + output.datatype.utf8.count + output.shape.count * 21
                + (output.sendsBinary ? output.data.binaryByteCount : output.data.estimatedJSONSize)
        }
    }
}

extension InferenceResponse.Output {
    func write<Sink: JSONSink>(into buffer: inout Sink) {
        buffer.writeText(#"{"name":"#)
        buffer.writeJSONString(name)
        buffer.writeText(#","datatype":"#)
        buffer.writeJSONString(datatype)
        buffer.writeText(#","shape":"#)
        buffer.writeJSONArray(shape) { buffer, dimension in buffer.writeJSONNumber(dimension) }
        if sendsBinary {
            buffer.writeText(#","parameters":{"binary_data_size":"#)
            buffer.writeJSONNumber(data.binaryByteCount)
            buffer.writeText("}}")
        } else {
            buffer.writeText(#","data":"#)
            data.write(into: &buffer)
            buffer.writeText("}")
        }
    }
}

extension OutputData {
    func write<Sink: JSONSink>(into buffer: inout Sink) {
        switch self {
        case .float32(let values): buffer.writeJSONArray(values) { buffer, value in buffer.writeJSONNumber(value) }
        case .float64(let values): buffer.writeJSONArray(values) { buffer, value in buffer.writeJSONNumber(value) }
        case .int64(let values): buffer.writeJSONArray(values) { buffer, value in buffer.writeJSONNumber(value) }
        case .strings(let values): buffer.writeJSONArray(values) { buffer, value in buffer.writeJSONString(value) }
        }
    }

    var estimatedJSONSize: Int {
        switch self {
        // The longest of each, and a comma: -1.1754944e-38, -2.2250738585072014e-308, -9223372036854775808.
        case .float32(let values): 2 + values.count * 15
        case .float64(let values): 2 + values.count * 25
        case .int64(let values): 2 + values.count * 21
        case .strings(let values): values.reduce(2) { $0 + $1.utf8.count + 3 }
        }
    }
}
