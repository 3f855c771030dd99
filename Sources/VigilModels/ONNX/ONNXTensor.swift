/// A dense tensor flowing between the nodes of an ONNX graph.
///
/// Floating-point tensors keep their element type (FP32 graphs compute in `Float`, as onnxruntime
/// does), every integer type is widened to `Int64`, and strings stay strings.
struct ONNXTensor: Sendable {
    enum Elements: Sendable {
        case float([Float])
        case double([Double])
        case int64([Int64])
        case string([String])
    }

    var shape: [Int]
    var elements: Elements

    init(shape: [Int], elements: Elements) {
        self.shape = shape
        self.elements = elements
    }

    init(shape: [Int], floats: [Float]) { self.init(shape: shape, elements: .float(floats)) }
    init(shape: [Int], doubles: [Double]) { self.init(shape: shape, elements: .double(doubles)) }
    init(shape: [Int], int64s: [Int64]) { self.init(shape: shape, elements: .int64(int64s)) }

    var count: Int {
        switch elements {
        case .float(let v): v.count
        case .double(let v): v.count
        case .int64(let v): v.count
        case .string(let v): v.count
        }
    }

    var rank: Int { shape.count }

    /// The ONNX name of the element type, for error messages.
    var typeName: String {
        switch elements {
        case .float: "float"
        case .double: "double"
        case .int64: "int64"
        case .string: "string"
        }
    }

    /// The same elements under another shape of equal size.
    func reshaped(_ newShape: [Int]) -> ONNXTensor {
        ONNXTensor(shape: newShape, elements: elements)
    }

    /// Every element as a Double (integers converted), or nil for strings.
    var doubleValues: [Double]? {
        switch elements {
        case .float(let v): transformed(v, Double.init)
        case .double(let v): v
        case .int64(let v): transformed(v, Double.init)
        case .string: nil
        }
    }

    /// Every element as an Int64 (floating values truncated toward zero), or nil for strings.
    var int64Values: [Int64]? {
        switch elements {
        case .int64(let v): v
        case .float(let v): transformed(v) { $0.isFinite ? Int64(exactly: $0.rounded(.towardZero)) ?? 0 : 0 }
        case .double(let v): transformed(v) { $0.isFinite ? Int64(exactly: $0.rounded(.towardZero)) ?? 0 : 0 }
        case .string: nil
        }
    }

    /// The size of every dimension but the last, and the last: `[a, b, k]` gives `(a * b, k)`.
    var rowsAndColumns: (rows: Int, columns: Int) {
        guard let last = shape.last else { return (1, 1) }
        return (last == 0 ? 0 : count / last, last)
    }
}

/// The element count of a shape; `Int.max` when the product overflows (a shape from a broken
/// file), which no real tensor matches, so the caller's count check refuses it instead of trapping.
func elementCount(_ shape: [Int]) -> Int {
    var count = 1
    for dimension in shape {
        let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
        if overflow { return Int.max }
        count = product
    }
    return count
}
