/// The operators Vigil executes, by domain and type: everything skl2onnx emits for the supported
/// scikit-learn estimators, and opset-5 `TreeEnsemble`.
enum ONNXOperatorSet {
    /// `domain:op_type` of every supported operator, for documentation and `vigil check`.
    static let supported: [String] = [
        "ai.onnx:Abs", "ai.onnx:Add", "ai.onnx:ArgMax", "ai.onnx:Cast", "ai.onnx:Concat", "ai.onnx:Div", "ai.onnx:Exp",
        "ai.onnx:Flatten", "ai.onnx:Gather", "ai.onnx:Gemm", "ai.onnx:Identity", "ai.onnx:MatMul", "ai.onnx:Mul",
        "ai.onnx:Neg", "ai.onnx:Relu", "ai.onnx:Reshape", "ai.onnx:Sigmoid", "ai.onnx:Softmax", "ai.onnx:Sqrt",
        "ai.onnx:Squeeze", "ai.onnx:Sub", "ai.onnx:Tanh", "ai.onnx:Unsqueeze", "ai.onnx:Where",
        "ai.onnx.ml:ArrayFeatureExtractor", "ai.onnx.ml:CategoryMapper", "ai.onnx.ml:Imputer", "ai.onnx.ml:LabelEncoder",
        "ai.onnx.ml:LinearClassifier", "ai.onnx.ml:LinearRegressor",
        "ai.onnx.ml:Normalizer", "ai.onnx.ml:OneHotEncoder", "ai.onnx.ml:Scaler", "ai.onnx.ml:TreeEnsemble",
        "ai.onnx.ml:TreeEnsembleClassifier", "ai.onnx.ml:TreeEnsembleRegressor", "ai.onnx.ml:ZipMap",
    ]

    /// Prepares `node`; throws `.unsupported` naming the operator and the node for anything else.
    static func makeOperator(_ node: ONNXNode) throws(ModelError) -> any ONNXOperator {
        switch (node.domain, node.opType) {
        case ("ai.onnx", "Add"): return ONNXArithmetic(operation: .add)
        case ("ai.onnx", "Sub"): return ONNXArithmetic(operation: .subtract)
        case ("ai.onnx", "Mul"): return ONNXArithmetic(operation: .multiply)
        case ("ai.onnx", "Div"): return ONNXArithmetic(operation: .divide)
        case ("ai.onnx", let type) where ONNXUnary.Operation(rawValue: type) != nil:
            return ONNXUnary(operation: ONNXUnary.Operation(rawValue: type) ?? .relu)
        case ("ai.onnx", "Identity"): return ONNXIdentity()
        case ("ai.onnx", "Cast"): return try ONNXCast(node: node)
        case ("ai.onnx", "Reshape"): return ONNXReshape(allowZero: try node.int("allowzero", default: 0) != 0)
        case ("ai.onnx", "Flatten"): return ONNXFlatten(axis: try node.int("axis", default: 1))
        case ("ai.onnx", "Squeeze"): return ONNXSqueeze(unsqueeze: false, attributeAxes: node.ints("axes")?.map(Int.init))
        case ("ai.onnx", "Unsqueeze"): return ONNXSqueeze(unsqueeze: true, attributeAxes: node.ints("axes")?.map(Int.init))
        case ("ai.onnx", "Concat"): return ONNXConcat(axis: try node.int("axis"))
        case ("ai.onnx", "Gather"): return ONNXGather(axis: try node.int("axis", default: 0))
        case ("ai.onnx", "MatMul"): return ONNXMatMul()
        case ("ai.onnx", "Gemm"):
            return ONNXGemm(
                alpha: Double(try node.float("alpha", default: 1)), beta: Double(try node.float("beta", default: 1)),
                transposeA: try node.int("transA", default: 0) != 0, transposeB: try node.int("transB", default: 0) != 0)
        case ("ai.onnx", "Softmax"):
            let modern = node.opset >= 13
            return ONNXSoftmax(axis: try node.int("axis", default: modern ? -1 : 1), flattensFromAxis: !modern)
        case ("ai.onnx", "ArgMax"):
            return ONNXArgMax(
                axis: try node.int("axis", default: 0), keepDimensions: try node.int("keepdims", default: 1) != 0,
                selectLast: try node.int("select_last_index", default: 0) != 0)
        case ("ai.onnx", "Where"): return ONNXWhere()
        case ("ai.onnx.ml", "ArrayFeatureExtractor"): return ONNXArrayFeatureExtractor()
        case ("ai.onnx.ml", "CategoryMapper"): return try ONNXCategoryMapper(node: node)
        case ("ai.onnx.ml", "LabelEncoder"): return try ONNXLabelEncoder(node: node)
        case ("ai.onnx.ml", "Imputer"): return try ONNXImputer(node: node)
        case ("ai.onnx.ml", "LinearClassifier"): return try ONNXLinearClassifier(node: node)
        case ("ai.onnx.ml", "LinearRegressor"): return try ONNXLinearRegressor(node: node)
        case ("ai.onnx.ml", "Normalizer"): return try ONNXNormalizer(node: node)
        case ("ai.onnx.ml", "OneHotEncoder"): return try ONNXOneHotEncoder(node: node)
        case ("ai.onnx.ml", "Scaler"): return try ONNXScaler(node: node)
        case ("ai.onnx.ml", "TreeEnsemble"): return try ONNXTreeEnsembleV5(node: node)
        case ("ai.onnx.ml", "TreeEnsembleClassifier"): return try ONNXTreeEnsembleClassifier(node: node)
        case ("ai.onnx.ml", "TreeEnsembleRegressor"): return try ONNXTreeEnsembleRegressor(node: node)
        case ("ai.onnx.ml", "ZipMap"): return try ONNXZipMap(node: node)
        default:
            throw ModelError(
                .unsupported,
                "model.onnx: \(node.label) uses the operator \(node.domain):\(node.opType), which Vigil does not support; supported: \(supported.joined(separator: ", "))"
            )
        }
    }
}
