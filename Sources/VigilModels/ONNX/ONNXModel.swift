/// An ONNX-ML graph (`model.onnx`), as skl2onnx exports scikit-learn models, executed in Swift.
///
/// The graph takes one `[batch, features]` float or double tensor, or one input per column (or group
/// of columns), where string inputs carry text features: category names, a missing one as the empty
/// string (what skl2onnx's string `SimpleImputer` matches with `missing_values=""`). A classifier is a graph with a
/// label output (int64 or string) next to a probability output (a tensor, or ZipMap's list of maps,
/// which arrives here as the `[batch, classes]` tensor it was built from); anything else is a regressor.
public struct ONNXModel: InferenceModel {
    public let signature: ModelSignature
    /// `domain:op_type` of every node, in execution order, for `vigil check`.
    public let operators: [String]
    /// Who wrote the file (`producer_name producer_version`).
    public let producer: String
    let graph: ONNXGraph
    /// The graph inputs in order: `[n]` numbers for the usual single `[batch, n]` input, one entry
    /// per input for graphs converted with an input per column.
    let graphInputs: [GraphInput]
    let labelOutput: Int?
    let valueOutput: Int
    /// For classifiers: the class index of each label value.
    let integerLabelIndex: [Int64: Int]
    let stringLabelIndex: [String: Int]

    /// One input of the graph: how many feature columns it carries, and whether they are strings.
    struct GraphInput: Sendable {
        var width: Int
        var takesText: Bool
    }

    public func predict(_ batch: FeatureBatch) throws(ModelError) -> Prediction {
        try batch.requireFeatures(signature.features)
        let outputs: [ONNXTensor]
        do throws(ModelError) {
            outputs = try graph.run(Self.tensors(batch, inputs: graphInputs, datatype: signature.inputDatatype))
        } catch {
            throw namingInput(of: error, in: batch)
        }
        let values = outputs[valueOutput]
        guard let numbers = values.doubleValues else { throw ModelError(.invalidInput, "model.onnx: the output is not numeric") }
        switch signature.task {
        case .regression(let targets):
            guard numbers.count == batch.rowCount * targets else {
                throw ModelError(
                    .invalidInput, "model.onnx: the graph gave \(numbers.count) values for \(batch.rowCount) rows of \(targets) targets")
            }
            return .regression(values: numbers, targets: targets)
        case .classification(let classes):
            guard numbers.count == batch.rowCount * classes.count else {
                throw ModelError(
                    .invalidInput,
                    "model.onnx: the graph gave \(numbers.count) probabilities for \(batch.rowCount) rows of \(classes.count) classes")
            }
            return .classification(
                labelIndices: try labelIndices(outputs, probabilities: numbers, classCount: classes.count, rows: batch.rowCount),
                probabilities: numbers, classCount: classes.count)
        }
    }

    /// A strict encoder's unknown category, said in the terms of the request: which input sent it, in which row.
    private func namingInput(of error: ModelError, in batch: FeatureBatch) -> ModelError {
        guard let category = error.unknownCategory else { return error }
        for (index, feature) in signature.features.enumerated() {
            guard let column = batch.texts[index], let row = column.firstIndex(where: { ($0 ?? "") == category }) else { continue }
            let known =
                feature.categories.isEmpty ? "" : "; the model knows \(feature.categories.map { "\"\($0)\"" }.joined(separator: ", "))"
            return ModelError(
                .invalidInput, "input '\(feature.name)' has the unknown category \"\(category)\" at row \(row)\(known)",
                unknownCategory: category)
        }
        return error
    }

    /// The batch as the graph's input tensors: the whole batch for one numeric input, else its columns
    /// split across the inputs in order, text columns as strings (a missing value as "").
    static func tensors(_ batch: FeatureBatch, inputs: [GraphInput], datatype: TensorDatatype) -> [ONNXTensor] {
        let rows = batch.rowCount
        let stride = batch.featureCount
        if inputs.count <= 1 && !(inputs.first?.takesText ?? false) {
            return [
                datatype == .fp64
                    ? ONNXTensor(shape: [rows, stride], doubles: batch.values)
                    : ONNXTensor(shape: [rows, stride], floats: transformed(batch.values) { Float($0) })
            ]
        }
        /// Columns `start..<start + width` of every row, converted on the way.
        func columns<T>(_ start: Int, _ width: Int, _ convert: (Double) -> T) -> [T] {
            [T](unsafeUninitializedCapacity: rows * width) { buffer, initialized in
                initialized = 0
                guard let out = buffer.baseAddress else { return }
                batch.values.withUnsafeBufferPointer { values in
                    for row in 0..<rows {
                        for column in 0..<width {
                            (out + row * width + column).initialize(to: convert(values[row * stride + start + column]))
                        }
                    }
                }
                initialized = rows * width
            }
        }
        var start = 0
        return inputs.map { input in
            let width = input.width
            defer { start += width }
            if input.takesText {
                var strings = [String](repeating: "", count: rows * width)
                for column in 0..<width {
                    guard let texts = batch.texts[start + column] else { continue }
                    for row in 0..<rows { strings[row * width + column] = texts[row] ?? "" }
                }
                return ONNXTensor(shape: [rows, width], elements: .string(strings))
            }
            return datatype == .fp64
                ? ONNXTensor(shape: [rows, width], doubles: columns(start, width) { $0 })
                : ONNXTensor(shape: [rows, width], floats: columns(start, width) { Float($0) })
        }
    }

    /// The class index of each row's label output; the top probability where a label is not a known class.
    private func labelIndices(_ outputs: [ONNXTensor], probabilities: [Double], classCount: Int, rows: Int) throws(ModelError) -> [Int] {
        func top(_ row: Int) -> Int {
            var best = 0
            for c in 1..<classCount where probabilities[row * classCount + c] > probabilities[row * classCount + best] { best = c }
            return best
        }
        guard let labelOutput else { return (0..<rows).map(top) }
        let labels = outputs[labelOutput]
        guard labels.count == rows else {
            throw ModelError(.invalidInput, "model.onnx: the graph gave \(labels.count) labels for \(rows) rows")
        }
        switch labels.elements {
        case .string(let values):
            // Mapped over the indices, not `enumerated()`, so the result is allocated once at its size.
            return values.indices.map { row in stringLabelIndex[values[row]] ?? top(row) }
        default:
            let values = labels.int64Values ?? []
            // Labels 0..<classes in order (scikit-learn's usual encoding) are their own indices: no hashing per row.
            if integerLabelIndex.count == classCount, integerLabelIndex.allSatisfy({ Int64($0.value) == $0.key }) {
                return values.indices.map { row in values[row] >= 0 && values[row] < Int64(classCount) ? Int(values[row]) : top(row) }
            }
            return values.indices.map { row in integerLabelIndex[values[row]] ?? top(row) }
        }
    }
}
