/// Add, Sub, Mul and Div with broadcasting, on float, double and integer tensors of one type.
struct ONNXArithmetic: ONNXOperator {
    enum Operation: String, Sendable {
        case add = "Add"
        case subtract = "Sub"
        case multiply = "Mul"
        case divide = "Div"
    }
    let operation: Operation

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let a = try inputs.required(0)
        let b = try inputs.required(1)
        let broadcast = try ONNXBroadcast(a.shape, b.shape)
        switch (a.elements, b.elements) {
        case (.float(let x), .float(let y)):
            return [ONNXTensor(shape: broadcast.shape, floats: real(x, y, broadcast))]
        case (.double(let x), .double(let y)):
            return [ONNXTensor(shape: broadcast.shape, doubles: real(x, y, broadcast))]
        case (.int64(let x), .int64(let y)):
            if operation == .divide, y.contains(0) { throw operatorError("integer division by zero") }
            switch operation {
            case .add: return [ONNXTensor(shape: broadcast.shape, int64s: broadcast.apply(x, y, &+))]
            case .subtract: return [ONNXTensor(shape: broadcast.shape, int64s: broadcast.apply(x, y, &-))]
            case .multiply: return [ONNXTensor(shape: broadcast.shape, int64s: broadcast.apply(x, y, &*))]
            case .divide: return [ONNXTensor(shape: broadcast.shape, int64s: broadcast.apply(x, y, /))]
            }
        default:
            throw operatorError("\(operation.rawValue) needs two tensors of one numeric type, not \(a.typeName) and \(b.typeName)")
        }
    }

    /// The operation chosen once per call, so each loop is a plain vectorizable one.
    private func real<T: ONNXReal>(_ x: [T], _ y: [T], _ broadcast: ONNXBroadcast) -> [T] {
        switch operation {
        case .add: broadcast.apply(x, y, +)
        case .subtract: broadcast.apply(x, y, -)
        case .multiply: broadcast.apply(x, y, *)
        case .divide: broadcast.apply(x, y, /)
        }
    }
}

/// Relu, Sigmoid, Tanh, Abs, Neg, Exp and Sqrt, elementwise on real tensors.
struct ONNXUnary: ONNXOperator {
    enum Operation: String, Sendable, CaseIterable {
        case relu = "Relu"
        case sigmoid = "Sigmoid"
        case tanh = "Tanh"
        case abs = "Abs"
        case negate = "Neg"
        case exp = "Exp"
        case sqrt = "Sqrt"
    }
    let operation: Operation

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let x = try inputs.required(0)
        switch x.elements {
        case .float(let values):
            return [
                ONNXTensor(
                    shape: x.shape, floats: operation == .relu ? transformed(values) { $0 > 0 ? $0 : 0 } : transformed(values, apply))
            ]
        case .double(let values):
            return [
                ONNXTensor(
                    shape: x.shape, doubles: operation == .relu ? transformed(values) { $0 > 0 ? $0 : 0 } : transformed(values, apply))
            ]
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
