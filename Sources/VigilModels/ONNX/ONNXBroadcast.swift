/// NumPy-style broadcasting of two shapes, as ONNX's elementwise operators define it.
struct ONNXBroadcast {
    let shape: [Int]
    /// For each output element, where it reads `a` and `b`: filled only for the general case.
    private let kind: Kind

    private enum Kind {
        case same
        /// `b` repeats every `period` elements (a trailing-dimension vector or a scalar).
        case bRepeats(period: Int)
        case aRepeats(period: Int)
        case general(aStrides: [Int], bStrides: [Int])
    }

    init(_ a: [Int], _ b: [Int]) throws(ModelError) {
        let rank = max(a.count, b.count)
        let paddedA = Array(repeating: 1, count: rank - a.count) + a
        let paddedB = Array(repeating: 1, count: rank - b.count) + b
        var shape: [Int] = []
        for (x, y) in zip(paddedA, paddedB) {
            guard x == y || x == 1 || y == 1 else { throw operatorError("shapes \(a) and \(b) do not broadcast") }
            shape.append(x == 1 ? y : x)
        }
        self.shape = shape
        let trimmedB = Array(b.drop { $0 == 1 })
        let trimmedA = Array(a.drop { $0 == 1 })
        if paddedA == paddedB {
            kind = .same
        } else if paddedA == shape, shape.suffix(trimmedB.count).elementsEqual(trimmedB) {
            kind = .bRepeats(period: max(elementCount(trimmedB), 1))
        } else if paddedB == shape, shape.suffix(trimmedA.count).elementsEqual(trimmedA) {
            kind = .aRepeats(period: max(elementCount(trimmedA), 1))
        } else {
            func strides(_ padded: [Int]) -> [Int] {
                var result = [Int](repeating: 0, count: rank)
                var step = 1
                for axis in (0..<rank).reversed() {
                    result[axis] = padded[axis] == 1 ? 0 : step
                    step *= padded[axis]
                }
                return result
            }
            kind = .general(aStrides: strides(paddedA), bStrides: strides(paddedB))
        }
    }

    /// `values` of shape `from`, repeated out to `shape`, which `from` must broadcast to.
    static func expand<T>(_ values: [T], from: [Int], to shape: [Int]) throws(ModelError) -> [T] {
        if from == shape { return values }
        let broadcast = try ONNXBroadcast(from, shape)
        guard broadcast.shape == shape else { throw operatorError("shape \(from) does not broadcast to \(shape)") }
        let positions = broadcast.apply(Array(values.indices), [Int](repeating: 0, count: elementCount(shape))) { position, _ in position }
        return positions.map { values[$0] }
    }

    /// Combines `a` and `b` elementwise into a buffer of the broadcast shape.
    @inline(__always)
    func apply<T, U>(_ a: [T], _ b: [T], _ combine: (T, T) -> U) -> [U] {
        let count = elementCount(shape)
        switch kind {
        case .same, .bRepeats, .aRepeats:
            // Blocks of `period` elements: the repeating side restarts at each block, no division per element.
            let (period, aRepeats, bRepeats): (Int, Bool, Bool) =
                switch kind {
                case .bRepeats(let period): (period, false, true)
                case .aRepeats(let period): (period, true, false)
                default: (max(count, 1), false, false)
                }
            return [U](unsafeUninitializedCapacity: count) { buffer, initialized in
                initialized = 0
                guard let out = buffer.baseAddress else { return }
                a.withUnsafeBufferPointer { a in
                    b.withUnsafeBufferPointer { b in
                        guard let aBase = a.baseAddress, let bBase = b.baseAddress else { return }
                        // Pointer offsets, not checked index sums: the loops then vectorize.
                        if period == 1 && (aRepeats || bRepeats) {
                            // A scalar on one side: one loop over the other.
                            for offset in 0..<count {
                                (out + offset).initialize(to: combine(aBase[aRepeats ? 0 : offset], bBase[bRepeats ? 0 : offset]))
                            }
                            return
                        }
                        for block in stride(from: 0, to: count, by: period) {
                            let aBlock = aRepeats ? aBase : aBase + block
                            let bBlock = bRepeats ? bBase : bBase + block
                            let outBlock = out + block
                            for offset in 0..<period { (outBlock + offset).initialize(to: combine(aBlock[offset], bBlock[offset])) }
                        }
                    }
                }
                initialized = count
            }
        case .general(let aStrides, let bStrides):
            var result: [U] = []
            result.reserveCapacity(count)
            var index = [Int](repeating: 0, count: shape.count)
            for _ in 0..<count {
                var aOffset = 0
                var bOffset = 0
                for axis in 0..<shape.count {
                    aOffset += index[axis] * aStrides[axis]
                    bOffset += index[axis] * bStrides[axis]
                }
                result.append(combine(a[aOffset], b[bOffset]))
                var axis = shape.count - 1
                while axis >= 0 {
                    index[axis] += 1
                    if index[axis] < shape[axis] { break }
                    index[axis] = 0
                    axis -= 1
                }
            }
            return result
        }
    }
}
