/// The coefficients of a linear operator: `outputs` rows of `features` weights, and their intercepts.
/// The transposed copy the float kernel reads is made once, when the model loads.
private struct LinearCoefficients: Sendable {
    /// `[outputs, features]`, row-major, as the model stores them.
    let weights: [Float]
    /// `[features, outputs]`: the layout `ONNXMatMul.multiply` reads.
    let transposed: [Float]
    let intercepts: [Float]
    let outputs: Int
    let features: Int

    init(weights: [Float], intercepts: [Float], outputs: Int) {
        self.weights = weights
        self.intercepts = intercepts
        self.outputs = outputs
        features = weights.count / outputs
        transposed = ONNXGemm.transpose(weights, rows: outputs, columns: features)
    }

    /// `X · Wᵀ + b` for `[rows, features]` inputs: in float for float tensors (as onnxruntime does), in
    /// double otherwise; the result is float either way.
    func scores(_ x: ONNXTensor) throws(ModelError) -> (rows: Int, scores: [Float]) {
        let (rows, columns) = x.rowsAndColumns
        guard columns == features else {
            throw operatorError("the model has \(features) coefficients per output but the input has \(columns) columns")
        }
        switch x.elements {
        case .float(let values):
            // The float matrix kernel over `[features, outputs]` coefficients: one fused multiply-add per
            // feature, in order, as onnxruntime's GEMM computes; the intercept is added to the sum.
            var scores = ONNXMatMul.multiply(values, transposed, m: rows, k: features, n: outputs)
            if !intercepts.isEmpty {
                scores.withUnsafeMutableBufferPointer { scores in
                    intercepts.withUnsafeBufferPointer { intercepts in
                        for row in 0..<rows {
                            for output in 0..<outputs { scores[row &* outputs &+ output] += intercepts[output] }
                        }
                    }
                }
            }
            return (rows, scores)
        default:
            guard let values = x.doubleValues else { throw operatorError("a linear model needs a numeric tensor") }
            var scores = [Float](directRepeating: 0, count: rows * outputs)
            for row in 0..<rows {
                for output in 0..<outputs {
                    var sum = 0.0
                    for feature in 0..<features { sum += values[row * features + feature] * Double(weights[output * features + feature]) }
                    scores[row * outputs + output] = Float(sum + (intercepts.isEmpty ? 0 : Double(intercepts[output])))
                }
            }
            return (rows, scores)
        }
    }
}

/// LinearClassifier (ai.onnx.ml): scores per class, a post-transform, and the label of the top score.
///
/// One coefficient row with two class labels is the binary form: the scores become `[−s, s]`.
struct ONNXLinearClassifier: ONNXOperator {
    private let coefficients: LinearCoefficients
    let rowsOfWeights: Int
    let classes: ClassLabels
    let postTransform: ONNXPostTransform

    init(node: ONNXNode) throws(ModelError) {
        guard let weights = node.floats("coefficients"), !weights.isEmpty else { throw node.error("missing coefficients") }
        let intercepts = node.floats("intercepts") ?? []
        classes = try node.classLabels(integers: "classlabels_ints")
        rowsOfWeights = intercepts.isEmpty ? classes.count : intercepts.count
        guard rowsOfWeights > 0, weights.count % rowsOfWeights == 0 else {
            throw node.error("coefficients do not divide into \(rowsOfWeights) rows")
        }
        guard rowsOfWeights == classes.count || (rowsOfWeights == 1 && classes.count == 2) else {
            throw node.error("has \(rowsOfWeights) coefficient rows for \(classes.count) classes")
        }
        coefficients = LinearCoefficients(weights: weights, intercepts: intercepts, outputs: rowsOfWeights)
        postTransform = try ONNXPostTransform(name: try node.string("post_transform", default: "NONE"), node: node)
    }

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let (rows, raw) = try coefficients.scores(try inputs.required(0))
        let classCount = classes.count
        var scores: [Float]
        if rowsOfWeights == 1 {
            scores = [Float](directRepeating: 0, count: rows * 2)
            for row in 0..<rows {
                scores[row * 2] = -raw[row]
                scores[row * 2 + 1] = raw[row]
            }
        } else {
            scores = raw
        }
        postTransform.apply(&scores, width: classCount)
        var best = [Int](directRepeating: 0, count: rows)
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
    private let coefficients: LinearCoefficients
    let targets: Int
    let postTransform: ONNXPostTransform

    init(node: ONNXNode) throws(ModelError) {
        guard let weights = node.floats("coefficients"), !weights.isEmpty else { throw node.error("missing coefficients") }
        let intercepts = node.floats("intercepts") ?? []
        targets = try node.int("targets", default: 1)
        guard targets > 0, weights.count % targets == 0, intercepts.isEmpty || intercepts.count == targets else {
            throw node.error("coefficients and intercepts do not fit \(targets) targets")
        }
        coefficients = LinearCoefficients(weights: weights, intercepts: intercepts, outputs: targets)
        postTransform = try ONNXPostTransform(name: try node.string("post_transform", default: "NONE"), node: node)
    }

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        var (rows, scores) = try coefficients.scores(try inputs.required(0))
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
