/// Computes `X · Wᵀ + b` for `[rows, features]` inputs: in float for float tensors (as onnxruntime
/// does), in double otherwise; the result is float either way.
private func linearScores(_ x: ONNXTensor, weights: [Float], intercepts: [Float], outputs: Int) throws(ModelError) -> (rows: Int, scores: [Float]) {
    let (rows, features) = x.rowsAndColumns
    guard weights.count == outputs * features else {
        throw operatorError("the model has \(weights.count / max(outputs, 1)) coefficients per output but the input has \(features) columns")
    }
    var scores = [Float](repeating: 0, count: rows * outputs)
    switch x.elements {
    case .float(let values):
        // The float matrix kernel over `[features, outputs]` coefficients: one fused multiply-add per
        // feature, in order, as onnxruntime's GEMM computes; the intercept is added to the sum.
        let coefficients = ONNXGemm.transpose(weights, rows: outputs, columns: features)
        let sums = ONNXMatMul.multiply(values, coefficients, m: rows, k: features, n: outputs)
        sums.withUnsafeBufferPointer { sums in
            scores.withUnsafeMutableBufferPointer { scores in
                guard let from = sums.baseAddress, let to = scores.baseAddress else { return }
                for row in 0..<rows {
                    for output in 0..<outputs {
                        to[row &* outputs &+ output] = from[row &* outputs &+ output] + (intercepts.isEmpty ? 0 : intercepts[output])
                    }
                }
            }
        }
    default:
        guard let values = x.doubleValues else { throw operatorError("a linear model needs a numeric tensor") }
        for row in 0..<rows {
            for output in 0..<outputs {
                var sum = 0.0
                for feature in 0..<features { sum += values[row * features + feature] * Double(weights[output * features + feature]) }
                scores[row * outputs + output] = Float(sum + (intercepts.isEmpty ? 0 : Double(intercepts[output])))
            }
        }
    }
    return (rows, scores)
}

/// LinearClassifier (ai.onnx.ml): scores per class, a post-transform, and the label of the top score.
///
/// One coefficient row with two class labels is the binary form: the scores become `[−s, s]`.
struct ONNXLinearClassifier: ONNXOperator {
    let weights: [Float]
    let intercepts: [Float]
    let rowsOfWeights: Int
    let classes: ClassLabels
    let postTransform: ONNXPostTransform

    init(node: ONNXNode) throws(ModelError) {
        guard let weights = node.floats("coefficients"), !weights.isEmpty else { throw node.error("missing coefficients") }
        self.weights = weights
        intercepts = node.floats("intercepts") ?? []
        classes = try node.classLabels(integers: "classlabels_ints")
        rowsOfWeights = intercepts.isEmpty ? classes.count : intercepts.count
        guard rowsOfWeights > 0, weights.count % rowsOfWeights == 0 else { throw node.error("coefficients do not divide into \(rowsOfWeights) rows") }
        guard rowsOfWeights == classes.count || (rowsOfWeights == 1 && classes.count == 2) else {
            throw node.error("has \(rowsOfWeights) coefficient rows for \(classes.count) classes")
        }
        postTransform = try ONNXPostTransform(name: try node.string("post_transform", default: "NONE"), node: node)
    }

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let (rows, raw) = try linearScores(try inputs.required(0), weights: weights, intercepts: intercepts, outputs: rowsOfWeights)
        let classCount = classes.count
        var scores: [Float]
        if rowsOfWeights == 1 {
            scores = [Float](repeating: 0, count: rows * 2)
            for row in 0..<rows {
                scores[row * 2] = -raw[row]
                scores[row * 2 + 1] = raw[row]
            }
        } else {
            scores = raw
        }
        postTransform.apply(&scores, width: classCount)
        var best = [Int](repeating: 0, count: rows)
        for row in 0..<rows {
            let base = row * classCount
            var top = 0
            for c in 1..<classCount where scores[base + c] > scores[base + top] { top = c }
            best[row] = top
        }
        return [classes.labelTensor(best), ONNXTensor(shape: [rows, classCount], floats: scores)]
    }
}

/// LinearRegressor (ai.onnx.ml): `targets` values per row, with an optional PROBIT transform.
struct ONNXLinearRegressor: ONNXOperator {
    let weights: [Float]
    let intercepts: [Float]
    let targets: Int
    let postTransform: ONNXPostTransform

    init(node: ONNXNode) throws(ModelError) {
        guard let weights = node.floats("coefficients"), !weights.isEmpty else { throw node.error("missing coefficients") }
        self.weights = weights
        intercepts = node.floats("intercepts") ?? []
        targets = try node.int("targets", default: 1)
        guard targets > 0, weights.count % targets == 0, intercepts.isEmpty || intercepts.count == targets else {
            throw node.error("coefficients and intercepts do not fit \(targets) targets")
        }
        postTransform = try ONNXPostTransform(name: try node.string("post_transform", default: "NONE"), node: node)
    }

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        var (rows, scores) = try linearScores(try inputs.required(0), weights: weights, intercepts: intercepts, outputs: targets)
        postTransform.apply(&scores, width: targets)
        return [ONNXTensor(shape: [rows, targets], floats: scores)]
    }
}

extension ClassLabels {
    /// The `[rows]` label tensor for the class index of each row.
    func labelTensor(_ indices: [Int]) -> ONNXTensor {
        switch self {
        case .integers(let values): ONNXTensor(shape: [indices.count], int64s: indices.map { values[$0] })
        case .strings(let values): ONNXTensor(shape: [indices.count], elements: .string(indices.map { values[$0] }))
        }
    }
}
