extension ONNXTensor {
    /// Gather along one axis: the elements seen as `outer` blocks of `size × inner`; from each block,
    /// the `inner`-long runs at `indices` (already checked to be in `0..<size`), in order.
    /// Gather uses it for any axis, ArrayFeatureExtractor for the last one (`inner` = 1).
    func gathering(outer: Int, size: Int, inner: Int, indices: [Int], shape: [Int]) -> ONNXTensor {
        let total = outer * indices.count * inner
        func gather<T>(_ values: [T]) -> [T] {
            [T](unsafeUninitializedCapacity: total) { buffer, initialized in
                initialized = 0
                guard let out = buffer.baseAddress else { return }
                values.withUnsafeBufferPointer { source in
                    var position = 0
                    for o in 0..<outer {
                        for index in indices {
                            let start = (o &* size &+ index) &* inner
                            for k in 0..<inner { (out + position + k).initialize(to: source[start &+ k]) }
                            position += inner
                        }
                    }
                }
                initialized = total
            }
        }
        switch elements {
        case .float(let v): return ONNXTensor(shape: shape, floats: gather(v))
        case .double(let v): return ONNXTensor(shape: shape, doubles: gather(v))
        case .int64(let v): return ONNXTensor(shape: shape, int64s: gather(v))
        case .string(let v): return ONNXTensor(shape: shape, elements: .string(gather(v)))
        }
    }
}
