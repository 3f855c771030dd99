import FoundationEssentials

extension ONNXTensor {
    /// Reads an initializer or a tensor attribute, from `raw_data` (little-endian) or the typed fields.
    init(proto: Onnx_TensorProto, context: String) throws(ModelError) {
        let dims = proto.dims.map(Int.init)
        guard dims.allSatisfy({ $0 >= 0 }) else { throw ModelError(.invalidModel, "model.onnx: \(context) has a negative dimension") }
        let count = elementCount(dims)
        guard count < Int(Int32.max) else {
            throw ModelError(.invalidModel, "model.onnx: \(context) has shape \(dims), too large for a tensor")
        }
        guard proto.dataLocation != .external else {
            throw ModelError(.unsupported, "model.onnx: \(context) keeps its data in an external file; save the model with the data inside")
        }
        let raw = proto.rawData
        func fromRaw<T>(_ type: T.Type, size: Int) throws(ModelError) -> [T]? {
            guard !raw.isEmpty else { return nil }
            guard raw.count == count * size else {
                throw ModelError(.invalidModel, "model.onnx: \(context) holds \(raw.count) bytes of data for \(count) elements")
            }
            return raw.withUnsafeBytes { buffer in
                (0..<count).map { buffer.loadUnaligned(fromByteOffset: $0 * size, as: T.self) }
            }
        }
        let elements: Elements
        switch Onnx_TensorProto.DataType(rawValue: Int(proto.dataType)) {
        case .float:
            elements = .float(
                try fromRaw(UInt32.self, size: 4).map { $0.map { Float(bitPattern: UInt32(littleEndian: $0)) } } ?? proto.floatData)
        case .double:
            elements = .double(
                try fromRaw(UInt64.self, size: 8).map { $0.map { Double(bitPattern: UInt64(littleEndian: $0)) } } ?? proto.doubleData)
        case .int64:
            elements = .int64(try fromRaw(Int64.self, size: 8).map { $0.map { Int64(littleEndian: $0) } } ?? proto.int64Data)
        case .int32:
            elements = .int64(
                try fromRaw(Int32.self, size: 4).map { $0.map { Int64(Int32(littleEndian: $0)) } } ?? proto.int32Data.map(Int64.init))
        case .int16:
            elements = .int64(
                try fromRaw(Int16.self, size: 2).map { $0.map { Int64(Int16(littleEndian: $0)) } } ?? proto.int32Data.map(Int64.init))
        case .uint16:
            elements = .int64(
                try fromRaw(UInt16.self, size: 2).map { $0.map { Int64(UInt16(littleEndian: $0)) } } ?? proto.int32Data.map(Int64.init))
        case .int8:
            elements = .int64(try fromRaw(Int8.self, size: 1).map { $0.map(Int64.init) } ?? proto.int32Data.map(Int64.init))
        case .uint8, .bool:
            elements = .int64(try fromRaw(UInt8.self, size: 1).map { $0.map(Int64.init) } ?? proto.int32Data.map(Int64.init))
        case .uint32:
            elements = .int64(
                try fromRaw(UInt32.self, size: 4).map { $0.map { Int64(UInt32(littleEndian: $0)) } }
                    ?? proto.uint64Data.map { Int64(truncatingIfNeeded: $0) })
        case .uint64:
            elements = .int64(
                try fromRaw(UInt64.self, size: 8).map { $0.map { Int64(truncatingIfNeeded: UInt64(littleEndian: $0)) } }
                    ?? proto.uint64Data.map { Int64(truncatingIfNeeded: $0) })
        case .string:
            elements = .string(proto.stringData.map { String(decoding: $0, as: UTF8.self) })
        default:
            throw ModelError(
                .unsupported,
                "model.onnx: \(context) has element type \(proto.dataType), which Vigil does not support (float, double, integers and strings are)"
            )
        }
        self.init(shape: dims, elements: elements)
        guard self.count == count else {
            throw ModelError(.invalidModel, "model.onnx: \(context) has \(self.count) elements for shape \(dims)")
        }
    }
}
