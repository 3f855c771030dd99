/// Add, Sub, Mul and Div with broadcasting, on float, double and integer tensors of one type.
struct ONNXArithmetic: ONNXOperator {
    enum Operation: String, Sendable { case add = "Add", subtract = "Sub", multiply = "Mul", divide = "Div" }
    let operation: Operation

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let a = try inputs.required(0), b = try inputs.required(1)
        let broadcast = try ONNXBroadcast(a.shape, b.shape)
        switch (a.elements, b.elements) {
        case (.float(let x), .float(let y)):
            return [ONNXTensor(shape: broadcast.shape, floats: broadcast.apply(x, y, real))]
        case (.double(let x), .double(let y)):
            return [ONNXTensor(shape: broadcast.shape, doubles: broadcast.apply(x, y, real))]
        case (.int64(let x), .int64(let y)):
            if operation == .divide, y.contains(0) { throw operatorError("integer division by zero") }
            return [ONNXTensor(shape: broadcast.shape, int64s: broadcast.apply(x, y, integer))]
        default:
            throw operatorError("\(operation.rawValue) needs two tensors of one numeric type, not \(a.typeName) and \(b.typeName)")
        }
    }

    private func real<T: ONNXReal>(_ x: T, _ y: T) -> T {
        switch operation {
        case .add: x + y
        case .subtract: x - y
        case .multiply: x * y
        case .divide: x / y
        }
    }

    private func integer(_ x: Int64, _ y: Int64) -> Int64 {
        switch operation {
        case .add: x &+ y
        case .subtract: x &- y
        case .multiply: x &* y
        case .divide: x / y
        }
    }
}

/// Relu, Sigmoid, Tanh, Abs, Neg, Exp and Sqrt, elementwise on real tensors.
struct ONNXUnary: ONNXOperator {
    enum Operation: String, Sendable, CaseIterable {
        case relu = "Relu", sigmoid = "Sigmoid", tanh = "Tanh", abs = "Abs", negate = "Neg", exp = "Exp", sqrt = "Sqrt"
    }
    let operation: Operation

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let x = try inputs.required(0)
        switch x.elements {
        case .float(let values): return [ONNXTensor(shape: x.shape, floats: values.map(apply))]
        case .double(let values): return [ONNXTensor(shape: x.shape, doubles: values.map(apply))]
        case .int64(let values) where operation == .relu || operation == .abs || operation == .negate:
            let mapped: [Int64] = values.map {
                switch operation {
                case .relu: Swift.max($0, 0)
                case .abs: Swift.abs($0)
                default: -$0
                }
            }
            return [ONNXTensor(shape: x.shape, int64s: mapped)]
        default:
            throw operatorError("\(operation.rawValue) needs a float or double tensor, not \(x.typeName)")
        }
    }

    private func apply<T: ONNXReal>(_ x: T) -> T {
        switch operation {
        case .relu: x > 0 ? x : 0
        case .sigmoid: ONNXPostTransform.logistic(x)
        case .tanh: T.hyperbolicTangent(x)
        case .abs: Swift.abs(x)
        case .negate: -x
        case .exp: T.exponential(x)
        case .sqrt: x.squareRoot()
        }
    }
}

/// Identity: passes its input through.
struct ONNXIdentity: ONNXOperator {
    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        [try inputs.required(0)]
    }
}
