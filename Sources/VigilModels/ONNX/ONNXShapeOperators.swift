/// Normalizes a possibly negative axis against `rank`.
func normalizedAxis(_ axis: Int, rank: Int) throws(ModelError) -> Int {
    let value = axis < 0 ? axis + rank : axis
    guard value >= 0, value < max(rank, 1) else { throw operatorError("axis \(axis) is out of range for rank \(rank)") }
    return value
}

/// Reshape: the target shape from the second input, with 0 copying a dimension (unless `allowzero`) and −1 inferred.
struct ONNXReshape: ONNXOperator {
    let allowZero: Bool

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let data = try inputs.required(0)
        guard case .int64(let requested) = try inputs.required(1).elements else { throw operatorError("the shape input must be int64") }
        // Plain loops: enumerated()/filter over tuples made the runtime look up generic metadata per call.
        var shape = [Int](repeating: 0, count: requested.count)
        for index in 0..<requested.count {
            let value = requested[index]
            shape[index] = value == 0 && !allowZero && index < data.shape.count ? data.shape[index] : Int(value)
        }
        if let unknown = shape.firstIndex(of: -1) {
            var known = 1
            for index in 0..<shape.count where index != unknown { known *= shape[index] }
            guard known > 0, data.count % known == 0 else { throw operatorError("cannot reshape \(data.shape) to \(requested)") }
            shape[unknown] = data.count / known
        }
        guard shape.allSatisfy({ $0 >= 0 }), elementCount(shape) == data.count else {
            throw operatorError("cannot reshape \(data.shape) to \(requested)")
        }
        return [data.reshaped(shape)]
    }
}

/// Flatten: everything before `axis` into the first dimension, the rest into the second.
struct ONNXFlatten: ONNXOperator {
    let axis: Int

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let data = try inputs.required(0)
        let axis = self.axis < 0 ? self.axis + data.rank : self.axis
        guard axis >= 0, axis <= data.rank else { throw operatorError("axis \(self.axis) is out of range for rank \(data.rank)") }
        let outer = elementCount(Array(data.shape.prefix(axis)))
        return [data.reshaped([outer, outer == 0 ? 0 : data.count / outer])]
    }
}

/// Squeeze and Unsqueeze, with the axes from the attribute (opset < 13) or the second input.
struct ONNXSqueeze: ONNXOperator {
    let unsqueeze: Bool
    let attributeAxes: [Int]?

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let data = try inputs.required(0)
        var axes = attributeAxes
        if inputs.count > 1, let tensor = inputs[1] {
            guard case .int64(let values) = tensor.elements else { throw operatorError("the axes input must be int64") }
            axes = values.map(Int.init)
        }
        if unsqueeze {
            guard let axes else { throw operatorError("Unsqueeze needs axes") }
            let rank = data.rank + axes.count
            var normalized = Set<Int>()
            for axis in axes { normalized.insert(try normalizedAxis(axis, rank: rank)) }
            var shape: [Int] = []
            var source = data.shape.makeIterator()
            for axis in 0..<rank { shape.append(normalized.contains(axis) ? 1 : (source.next() ?? 1)) }
            return [data.reshaped(shape)]
        }
        guard let axes else { return [data.reshaped(data.shape.filter { $0 != 1 })] }
        var normalized = Set<Int>()
        for axis in axes { normalized.insert(try normalizedAxis(axis, rank: data.rank)) }
        for axis in normalized where data.shape[axis] != 1 {
            throw operatorError("cannot squeeze axis \(axis) of size \(data.shape[axis])")
        }
        return [data.reshaped(data.shape.enumerated().filter { !normalized.contains($0.offset) }.map(\.element))]
    }
}

/// Concat along `axis`, for tensors of one element type.
struct ONNXConcat: ONNXOperator {
    let axis: Int

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let parts = inputs.compactMap { $0 }
        guard let first = parts.first else { throw operatorError("Concat needs inputs") }
        let axis = try normalizedAxis(self.axis, rank: first.rank)
        var shape = first.shape
        shape[axis] = 0
        for part in parts {
            guard part.rank == first.rank,
                part.shape.enumerated().allSatisfy({ $0.offset == axis || $0.element == first.shape[$0.offset] })
            else { throw operatorError("cannot concatenate shapes \(first.shape) and \(part.shape) on axis \(axis)") }
            shape[axis] += part.shape[axis]
        }
        let outer = elementCount(Array(first.shape.prefix(axis)))
        let inner = elementCount(Array(first.shape.suffix(from: axis + 1)))
        let blocks = parts.map { $0.shape[axis] * inner }
        let total = elementCount(shape)
        func join<T>(_ arrays: [[T]]) -> [T] {
            [T](unsafeUninitializedCapacity: total) { buffer, initialized in
                initialized = 0
                guard let out = buffer.baseAddress else { return }
                // Part by part: each part's blocks go to their place in every outer row, so each
                // part's buffer is opened once and its blocks are copied whole.
                let rowWidth = blocks.reduce(0, +)
                var offset = 0
                for part in 0..<arrays.count {
                    let block = blocks[part]
                    arrays[part].withUnsafeBufferPointer { source in
                        guard let from = source.baseAddress else { return }
                        for o in 0..<outer { (out + (o &* rowWidth &+ offset)).initialize(from: from + o &* block, count: block) }
                    }
                    offset += block
                }
                initialized = total
            }
        }
        switch first.elements {
        case .float:
            let arrays = parts.compactMap { if case .float(let v) = $0.elements { v } else { nil } }
            guard arrays.count == parts.count else { throw operatorError("Concat inputs must share one element type") }
            return [ONNXTensor(shape: shape, floats: join(arrays))]
        case .double:
            let arrays = parts.compactMap { if case .double(let v) = $0.elements { v } else { nil } }
            guard arrays.count == parts.count else { throw operatorError("Concat inputs must share one element type") }
            return [ONNXTensor(shape: shape, doubles: join(arrays))]
        case .int64:
            let arrays = parts.compactMap { if case .int64(let v) = $0.elements { v } else { nil } }
            guard arrays.count == parts.count else { throw operatorError("Concat inputs must share one element type") }
            return [ONNXTensor(shape: shape, int64s: join(arrays))]
        case .string:
            let arrays = parts.compactMap { if case .string(let v) = $0.elements { v } else { nil } }
            guard arrays.count == parts.count else { throw operatorError("Concat inputs must share one element type") }
            return [ONNXTensor(shape: shape, elements: .string(join(arrays)))]
        }
    }
}

/// Gather along `axis` with int64 indices (negative ones count from the end).
struct ONNXGather: ONNXOperator {
    let axis: Int

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let data = try inputs.required(0)
        let indexTensor = try inputs.required(1)
        guard case .int64(let rawIndices) = indexTensor.elements else { throw operatorError("Gather indices must be integers") }
        let axis = try normalizedAxis(self.axis, rank: data.rank)
        let size = data.shape[axis]
        var indices: [Int] = []
        indices.reserveCapacity(rawIndices.count)
        for raw in rawIndices {
            let index = raw < 0 ? Int(raw) + size : Int(raw)
            guard index >= 0, index < size else { throw operatorError("index \(raw) is out of range for axis \(axis) of size \(size)") }
            indices.append(index)
        }
        let outer = elementCount(Array(data.shape.prefix(axis)))
        let inner = elementCount(Array(data.shape.suffix(from: axis + 1)))
        let shape = Array(data.shape.prefix(axis)) + indexTensor.shape + Array(data.shape.suffix(from: axis + 1))
        return [data.gathering(outer: outer, size: size, inner: inner, indices: indices, shape: shape)]
    }
}

/// Cast to float, double, an integer type (kept as int64), bool, or string (from strings only).
struct ONNXCast: ONNXOperator {
    enum Target: Sendable { case float, double, integer, bool, string }
    let target: Target

    init(node: ONNXNode) throws(ModelError) {
        let code = try node.int("to")
        switch Onnx_TensorProto.DataType(rawValue: code) {
        case .float: target = .float
        case .double: target = .double
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64: target = .integer
        case .bool: target = .bool
        case .string: target = .string
        default: throw ModelError(.unsupported, "model.onnx: \(node.label): Cast to element type \(code) is not supported")
        }
    }

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let x = try inputs.required(0)
        switch (target, x.elements) {
        case (.float, .float), (.double, .double), (.integer, .int64), (.string, .string):
            return [x]
        case (.float, .double(let v)): return [ONNXTensor(shape: x.shape, floats: transformed(v) { Float($0) })]
        case (.float, .int64(let v)): return [ONNXTensor(shape: x.shape, floats: transformed(v) { Float($0) })]
        case (.double, .float(let v)): return [ONNXTensor(shape: x.shape, doubles: transformed(v) { Double($0) })]
        case (.double, .int64(let v)): return [ONNXTensor(shape: x.shape, doubles: transformed(v) { Double($0) })]
        case (.integer, .float), (.integer, .double):
            return [ONNXTensor(shape: x.shape, int64s: x.int64Values ?? [])]
        case (.bool, .string):
            throw operatorError("cannot cast strings to bool")
        case (.bool, _):
            return [ONNXTensor(shape: x.shape, int64s: (x.doubleValues ?? []).map { $0 != 0 ? 1 : 0 })]
        case (.float, .string(let v)):
            return [
                ONNXTensor(
                    shape: x.shape,
                    floats: try v.map { (text) throws(ModelError) -> Float in
                        guard let value = Float(text) else { throw operatorError("cannot cast \"\(text)\" to float") }
                        return value
                    })
            ]
        case (.double, .string(let v)):
            return [
                ONNXTensor(
                    shape: x.shape,
                    doubles: try v.map { (text) throws(ModelError) -> Double in
                        guard let value = Double(text) else { throw operatorError("cannot cast \"\(text)\" to double") }
                        return value
                    })
            ]
        case (.integer, .string(let v)):
            return [
                ONNXTensor(
                    shape: x.shape,
                    int64s: try v.map { (text) throws(ModelError) -> Int64 in
                        guard let value = Int64(text) else { throw operatorError("cannot cast \"\(text)\" to an integer") }
                        return value
                    })
            ]
        case (.string, .int64(let v)): return [ONNXTensor(shape: x.shape, elements: .string(v.map { String($0) }))]
        case (.string, _): throw operatorError("casting real numbers to strings is not supported")
        }
    }
}
