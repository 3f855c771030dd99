internal import CFloatKernels

/// MatMul of an `[..., M, K]` tensor by a `[K, N]` matrix or a `[K]` vector.
struct ONNXMatMul: ONNXOperator {
    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let a = try inputs.required(0)
        let b = try inputs.required(1)
        guard a.rank >= 1, b.rank == 1 || b.rank == 2 else {
            throw operatorError("MatMul supports a matrix or vector on the right, not shape \(b.shape)")
        }
        let k = a.shape[a.rank - 1]
        let n = b.rank == 2 ? b.shape[1] : 1
        guard b.shape[0] == k else { throw operatorError("MatMul shapes \(a.shape) and \(b.shape) do not match") }
        let m = k == 0 ? 0 : a.count / k
        var shape = Array(a.shape.dropLast())
        if b.rank == 2 { shape.append(n) }
        if a.rank == 1 && b.rank == 1 { shape = [] }
        switch (a.elements, b.elements) {
        case (.float(let x), .float(let y)): return [ONNXTensor(shape: shape, floats: Self.multiply(x, y, m: m, k: k, n: n))]
        case (.double(let x), .double(let y)): return [ONNXTensor(shape: shape, doubles: Self.multiply(x, y, m: m, k: k, n: n))]
        default: throw operatorError("MatMul needs two float or two double tensors, not \(a.typeName) and \(b.typeName)")
        }
    }

    /// The float case: one fused multiply-add per step, rounded to float each time, in the C kernel
    /// (AVX2+FMA where the CPU has them), as onnxruntime's MLAS kernels compute.
    static func multiply(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        product(a, b, m: m, k: k, n: n, kernel: vigil_sgemm_fma)
    }

    /// The double case: one fused multiply-add per step in the C kernel, as the generic loop below.
    static func multiply(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
        product(a, b, m: m, k: k, n: n, kernel: vigil_dgemm_fma)
    }

    /// `a · b` into a zeroed `[m, n]` buffer by one of the C kernels.
    private static func product<T: Numeric & BitwiseCopyable>(
        _ a: [T], _ b: [T], m: Int, k: Int, n: Int,
        kernel: (UnsafePointer<T>, UnsafePointer<T>, UnsafeMutablePointer<T>, Int, Int, Int) -> Void
    ) -> [T] {
        var c = [T](directRepeating: 0, count: m * n)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    guard let aBase = a.baseAddress, let bBase = b.baseAddress, let cBase = c.baseAddress else { return }
                    kernel(aBase, bBase, cBase, m, k, n)
                }
            }
        }
        return c
    }

    /// Row-major `[m, k] × [k, n]`, accumulating each output over k in order: the C kernels for
    /// float and double (Gemm reaches this generic entry), a plain loop for any other type.
    static func multiply<T: ONNXReal>(_ a: [T], _ b: [T], m: Int, k: Int, n: Int) -> [T] {
        if let a = a as? [Float], let b = b as? [Float], let product = multiply(a, b, m: m, k: k, n: n) as? [T] { return product }
        if let a = a as? [Double], let b = b as? [Double], let product = multiply(a, b, m: m, k: k, n: n) as? [T] { return product }
        var c = [T](directRepeating: 0, count: m * n)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    for i in 0..<m {
                        let row = i * n
                        for p in 0..<k {
                            let value = a[i * k + p]
                            let bRow = p * n
                            for j in 0..<n { c[row + j] = T.fusedMultiplyAdd(value, b[bRow + j], c[row + j]) }
                        }
                    }
                }
            }
        }
        return c
    }
}

/// Gemm: `alpha · A' · B' + beta · C`, with optional transposes and a broadcast C.
struct ONNXGemm: ONNXOperator {
    let alpha: Double, beta: Double
    let transposeA: Bool, transposeB: Bool

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let a = try inputs.required(0)
        let b = try inputs.required(1)
        let c = inputs.count > 2 ? inputs[2] : nil
        guard a.rank == 2, b.rank == 2 else { throw operatorError("Gemm needs matrices, not \(a.shape) and \(b.shape)") }
        let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (k2, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        guard k == k2 else { throw operatorError("Gemm shapes \(a.shape) and \(b.shape) do not match") }
        func compute<T: ONNXReal>(_ x: [T], _ y: [T], _ bias: [T]?, biasShape: [Int]) throws(ModelError) -> [T] {
            let left = transposeA ? Self.transpose(x, rows: a.shape[0], columns: a.shape[1]) : x
            let right = transposeB ? Self.transpose(y, rows: b.shape[0], columns: b.shape[1]) : y
            var product = ONNXMatMul.multiply(left, right, m: m, k: k, n: n)
            let scale = T(alpha)
            if scale != 1 { for index in product.indices { product[index] *= scale } }
            guard let bias else { return product }
            let broadcast = try ONNXBroadcast([m, n], biasShape)
            guard broadcast.shape == [m, n] else {
                throw operatorError("Gemm's C of shape \(biasShape) does not broadcast to [\(m), \(n)]")
            }
            let weight = T(beta)
            return broadcast.apply(product, bias) { $0 + weight * $1 }
        }
        switch (a.elements, b.elements, c?.elements) {
        case (.float(let x), .float(let y), nil):
            return [ONNXTensor(shape: [m, n], floats: try compute(x, y, nil, biasShape: []))]
        case (.float(let x), .float(let y), .float(let z)?):
            return [ONNXTensor(shape: [m, n], floats: try compute(x, y, z, biasShape: c?.shape ?? []))]
        case (.double(let x), .double(let y), nil):
            return [ONNXTensor(shape: [m, n], doubles: try compute(x, y, nil, biasShape: []))]
        case (.double(let x), .double(let y), .double(let z)?):
            return [ONNXTensor(shape: [m, n], doubles: try compute(x, y, z, biasShape: c?.shape ?? []))]
        default:
            throw operatorError("Gemm needs float or double tensors of one type")
        }
    }

    static func transpose<T>(_ values: [T], rows: Int, columns: Int) -> [T] {
        var result: [T] = []
        result.reserveCapacity(values.count)
        for j in 0..<columns { for i in 0..<rows { result.append(values[i * columns + j]) } }
        return result
    }
}

/// Softmax over `axis` (opset ≥ 13), or over everything from `axis` on (earlier opsets, default axis 1).
struct ONNXSoftmax: ONNXOperator {
    let axis: Int
    let flattensFromAxis: Bool

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let x = try inputs.required(0)
        let axis = try normalizedAxis(self.axis, rank: x.rank)
        let outer = elementCount(Array(x.shape.prefix(axis)))
        let size = flattensFromAxis ? (outer == 0 ? 0 : x.count / outer) : x.shape[axis]
        let inner = flattensFromAxis ? 1 : elementCount(Array(x.shape.suffix(from: axis + 1)))
        func softmax<T: ONNXReal>(_ values: [T]) -> [T] {
            var result = values
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * size * inner + i
                    var top = -T.infinity
                    for s in 0..<size { top = max(top, result[base + s * inner]) }
                    var total: T = 0
                    for s in 0..<size {
                        let e = T.exponential(result[base + s * inner] - top)
                        result[base + s * inner] = e
                        total += e
                    }
                    for s in 0..<size { result[base + s * inner] /= total }
                }
            }
            return result
        }
        switch x.elements {
        case .float(let v): return [ONNXTensor(shape: x.shape, floats: softmax(v))]
        case .double(let v): return [ONNXTensor(shape: x.shape, doubles: softmax(v))]
        default: throw operatorError("Softmax needs a float or double tensor, not \(x.typeName)")
        }
    }
}

/// ArgMax along `axis` (first maximum unless `select_last_index`), keeping the axis as size 1 by default.
struct ONNXArgMax: ONNXOperator {
    let axis: Int
    let keepDimensions: Bool
    let selectLast: Bool

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let x = try inputs.required(0)
        guard let values = x.doubleValues else { throw operatorError("ArgMax needs a numeric tensor") }
        let axis = try normalizedAxis(self.axis, rank: x.rank)
        let outer = elementCount(Array(x.shape.prefix(axis)))
        let size = x.shape[axis]
        let inner = elementCount(Array(x.shape.suffix(from: axis + 1)))
        guard size > 0 else { throw operatorError("ArgMax over an empty axis") }
        var result: [Int64] = []
        result.reserveCapacity(outer * inner)
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * size * inner + i
                var best = 0
                for s in 1..<size {
                    let value = values[base + s * inner]
                    let top = values[base + best * inner]
                    if value > top || (selectLast && value == top) { best = s }
                }
                result.append(Int64(best))
            }
        }
        var shape = x.shape
        if keepDimensions { shape[axis] = 1 } else { shape.remove(at: axis) }
        return [ONNXTensor(shape: shape, int64s: result)]
    }
}
