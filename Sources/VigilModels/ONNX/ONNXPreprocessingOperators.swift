/// Scaler (ai.onnx.ml): `(x − offset) · scale` per column, output float.
struct ONNXScaler: ONNXOperator {
    /// As the model stores them, in float: float inputs use them as they are (as onnxruntime does),
    /// other inputs widen them to double.
    let offset: [Float]
    let scale: [Float]

    init(node: ONNXNode) throws(ModelError) {
        offset = node.floats("offset") ?? [0]
        scale = node.floats("scale") ?? [1]
        guard !offset.isEmpty, !scale.isEmpty else { throw node.error("offset and scale must not be empty") }
    }

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let x = try inputs.required(0)
        let (_, columns) = x.rowsAndColumns
        guard offset.count == 1 || offset.count == columns, scale.count == 1 || scale.count == columns else {
            throw operatorError("Scaler has \(offset.count) offsets and \(scale.count) scales for \(columns) columns")
        }
        // A single offset or scale applies to every column: its index steps by 0, not 1.
        let offsetStep = offset.count == 1 ? 0 : 1
        let scaleStep = scale.count == 1 ? 0 : 1
        var result = [Float](directRepeating: 0, count: x.count)
        switch x.elements {
        case .float(let values):
            // onnxruntime keeps the parameters as float and computes in float.
            for start in stride(from: 0, to: values.count, by: columns) {
                for c in 0..<columns { result[start + c] = (values[start + c] - offset[c * offsetStep]) * scale[c * scaleStep] }
            }
        default:
            guard let values = x.doubleValues else { throw operatorError("Scaler needs a numeric tensor") }
            for start in stride(from: 0, to: values.count, by: columns) {
                for c in 0..<columns {
                    result[start + c] = Float((values[start + c] - Double(offset[c * offsetStep])) * Double(scale[c * scaleStep]))
                }
            }
        }
        return [ONNXTensor(shape: x.shape, floats: result)]
    }
}

/// Imputer (ai.onnx.ml): replaces `replaced_value` (NaN by default for skl2onnx) with a per-column value.
struct ONNXImputer: ONNXOperator {
    let imputedReals: [Float]
    let imputedIntegers: [Int64]
    let replacedReal: Float
    let replacedInteger: Int64

    init(node: ONNXNode) throws(ModelError) {
        imputedReals = node.floats("imputed_value_floats") ?? []
        imputedIntegers = node.ints("imputed_value_int64s") ?? []
        replacedReal = try node.float("replaced_value_float", default: 0)
        replacedInteger = Int64(try node.int("replaced_value_int64", default: 0))
        guard !imputedReals.isEmpty || !imputedIntegers.isEmpty else {
            throw node.error("needs imputed_value_floats or imputed_value_int64s")
        }
    }

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let x = try inputs.required(0)
        let (_, columns) = x.rowsAndColumns
        func impute<T: ONNXReal>(_ values: [T]) throws(ModelError) -> [T] {
            guard imputedReals.count == 1 || imputedReals.count == columns else {
                throw operatorError("Imputer has \(imputedReals.count) values for \(columns) columns")
            }
            let replaced = T(replacedReal)
            let matchesNaN = replacedReal.isNaN
            let imputed = imputedReals.count == 1 ? Array(repeating: T(imputedReals[0]), count: columns) : imputedReals.map { T($0) }
            let width = max(columns, 1)
            guard values.count % width == 0 else {
                throw operatorError("Imputer's input of \(values.count) values is not rows of \(columns)")
            }
            return [T](unsafeUninitializedCapacity: values.count) { buffer, initialized in
                initialized = 0
                guard let out = buffer.baseAddress else { return }
                values.withUnsafeBufferPointer { source in
                    imputed.withUnsafeBufferPointer { imputed in
                        guard let from = source.baseAddress, let fill = imputed.baseAddress else { return }
                        for start in stride(from: 0, to: source.count, by: width) {
                            for c in 0..<columns {
                                let value = from[start &+ c]
                                let replace = matchesNaN ? value.isNaN : value == replaced
                                (out + (start &+ c)).initialize(to: replace ? fill[c] : value)
                            }
                        }
                    }
                }
                initialized = values.count
            }
        }
        switch x.elements {
        case .float(let values): return [ONNXTensor(shape: x.shape, floats: try impute(values))]
        case .double(let values): return [ONNXTensor(shape: x.shape, doubles: try impute(values))]
        case .int64(let values):
            guard imputedIntegers.count == 1 || imputedIntegers.count == columns else {
                throw operatorError("Imputer has \(imputedIntegers.count) integer values for \(columns) columns")
            }
            return [
                ONNXTensor(
                    shape: x.shape,
                    int64s: values.enumerated().map { index, value in
                        value == replacedInteger ? imputedIntegers[imputedIntegers.count == 1 ? 0 : index % columns] : value
                    })
            ]
        case .string: throw operatorError("Imputer needs a numeric tensor")
        }
    }
}

/// Normalizer (ai.onnx.ml): each row divided by its MAX, L1 or L2 norm; output float.
struct ONNXNormalizer: ONNXOperator {
    enum Norm: String, Sendable {
        case max = "MAX"
        case l1 = "L1"
        case l2 = "L2"
    }
    let norm: Norm

    init(node: ONNXNode) throws(ModelError) {
        let name = try node.string("norm", default: "MAX")
        guard let norm = Norm(rawValue: name) else { throw node.error("unknown norm \(name)") }
        self.norm = norm
    }

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let x = try inputs.required(0)
        let (rows, columns) = x.rowsAndColumns
        let values: [Float]
        switch x.elements {
        case .float(let v): values = v
        default:
            guard let v = x.doubleValues else { throw operatorError("Normalizer needs a numeric tensor") }
            values = transformed(v) { Float($0) }
        }
        guard columns > 0, values.count == rows * columns else { return [ONNXTensor(shape: x.shape, floats: values)] }
        let norm = self.norm
        let result = [Float](directCapacity: values.count) { buffer, initialized in
            initialized = 0
            guard let out = buffer.baseAddress else { return }
            values.withUnsafeBufferPointer { source in
                guard let from = source.baseAddress else { return }
                for row in 0..<rows {
                    let line = from + row &* columns
                    let target = out + row &* columns
                    var divisor: Float = 0
                    switch norm {
                    case .max:
                        divisor = -.infinity
                        for c in 0..<columns { divisor = max(divisor, line[c]) }
                    case .l1:
                        for c in 0..<columns { divisor += abs(line[c]) }
                    case .l2:
                        for c in 0..<columns { divisor += line[c] * line[c] }
                        divisor = divisor.squareRoot()
                    }
                    if divisor == 0 || !divisor.isFinite { divisor = 1 }
                    for c in 0..<columns { (target + c).initialize(to: line[c] / divisor) }
                }
            }
            initialized = values.count
        }
        return [ONNXTensor(shape: x.shape, floats: result)]
    }
}

/// OneHotEncoder (ai.onnx.ml): `[..., C]` values to `[..., C, K]` floats over the declared categories.
struct ONNXOneHotEncoder: ONNXOperator {
    let integerCategories: [Int64: Int]
    let stringCategories: [String: Int]
    let categoryCount: Int
    /// Integer categories that are a run a, a+1, …, a+K−1 (scikit-learn's usual codes) are found
    /// by subtracting `a`, without a hash lookup: `a`, or nil for other category lists.
    let denseStart: Int64?
    /// Whether an unknown value gives all zeros (`zeros=1`) rather than an error.
    let unknownGivesZeros: Bool

    init(node: ONNXNode) throws(ModelError) {
        let integers = node.ints("cats_int64s") ?? []
        let strings = node.strings("cats_strings") ?? []
        guard integers.isEmpty != strings.isEmpty else { throw node.error("needs exactly one of cats_int64s and cats_strings") }
        integerCategories = Dictionary(integers.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        stringCategories = Dictionary(strings.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        categoryCount = max(integers.count, strings.count)
        denseStart = integers.first.flatMap { first in
            integers.enumerated().allSatisfy { $0.element == first &+ Int64($0.offset) } ? first : nil
        }
        unknownGivesZeros = try node.int("zeros", default: 1) != 0
    }

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let x = try inputs.required(0)
        var result = [Float](directRepeating: 0, count: x.count * categoryCount)
        // Unknown values are only formatted for the error: a string per element cost more than the encoding.
        switch x.elements {
        case .string(let values):
            for (index, value) in values.enumerated() {
                if let category = stringCategories[value] {
                    result[index * categoryCount + category] = 1
                } else if !unknownGivesZeros {
                    throw ModelError(.invalidInput, "OneHotEncoder got the unknown category \"\(value)\"", unknownCategory: value)
                }
            }
        default:
            // onnxruntime casts float and double inputs to int64 before the lookup.
            guard let values = x.int64Values else { throw operatorError("OneHotEncoder needs numbers or strings") }
            let count = Int64(categoryCount)
            for (index, value) in values.enumerated() {
                let category: Int? =
                    if let denseStart {
                        value &- denseStart >= 0 && value &- denseStart < count ? Int(value &- denseStart) : nil
                    } else {
                        integerCategories[value]
                    }
                if let category {
                    result[index * categoryCount + category] = 1
                } else if !unknownGivesZeros {
                    throw operatorError("OneHotEncoder got the unknown category \(value)")
                }
            }
        }
        return [ONNXTensor(shape: x.shape + [categoryCount], floats: result)]
    }
}

/// ArrayFeatureExtractor (ai.onnx.ml): picks columns of the last axis by index.
struct ONNXArrayFeatureExtractor: ONNXOperator {
    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let x = try inputs.required(0)
        guard case .int64(let indices) = try inputs.required(1).elements else { throw operatorError("indices must be integers") }
        let (rows, columns) = x.rowsAndColumns
        for index in indices where index < 0 || index >= columns {
            throw operatorError("index \(index) is out of range for \(columns) columns")
        }
        let shape = x.rank == 1 ? [1, indices.count] : Array(x.shape.dropLast()) + [indices.count]
        return [x.gathering(outer: rows, size: columns, inner: 1, indices: indices.map(Int.init), shape: shape)]
    }
}

/// ZipMap (ai.onnx.ml): a list of {class: probability} maps in ONNX; here the `[N, classes]`
/// probabilities pass through unchanged and the model reads the class labels from the node.
struct ONNXZipMap: ONNXOperator {
    let classes: ClassLabels

    init(node: ONNXNode) throws(ModelError) {
        classes = try node.classLabels(integers: "classlabels_int64s")
    }

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let x = try inputs.required(0)
        guard x.rowsAndColumns.columns == classes.count else {
            throw operatorError("ZipMap has \(classes.count) class labels for \(x.rowsAndColumns.columns) columns")
        }
        return [x]
    }
}
