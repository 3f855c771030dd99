/// An ONNX-ML graph (`model.onnx`), as skl2onnx exports scikit-learn models, executed in Swift.
///
/// The graph takes one `[batch, features]` float or double tensor. A classifier is a graph with a
/// label output (int64 or string) next to a probability output (a tensor, or ZipMap's list of maps,
/// which arrives here as the `[batch, classes]` tensor it was built from); anything else is a regressor.
public struct ONNXModel: InferenceModel {
    public let signature: ModelSignature
    /// `domain:op_type` of every node, in execution order, for `vigil check`.
    public let operators: [String]
    /// Who wrote the file (`producer_name producer_version`).
    public let producer: String
    let graph: ONNXGraph
    /// Columns per graph input, in order: `[n]` for the usual single `[batch, n]` input, one entry
    /// per input for graphs converted with an input per column.
    let inputWidths: [Int]
    let labelOutput: Int?
    let valueOutput: Int
    /// For classifiers: the class index of each label value.
    let integerLabelIndex: [Int64: Int]
    let stringLabelIndex: [String: Int]

    public func predict(_ batch: FeatureBatch) throws(ModelError) -> Prediction {
        let featureCount = signature.features.count
        try batch.requireFeatureCount(featureCount)
        let outputs = try graph.run(Self.graphInputs(batch, widths: inputWidths, datatype: signature.inputDatatype))
        let values = outputs[valueOutput]
        guard let numbers = values.doubleValues else { throw ModelError(.invalidInput, "model.onnx: the output is not numeric") }
        switch signature.task {
        case .regression(let targets):
            guard numbers.count == batch.rowCount * targets else {
                throw ModelError(.invalidInput, "model.onnx: the graph gave \(numbers.count) values for \(batch.rowCount) rows of \(targets) targets")
            }
            return .regression(values: numbers, targets: targets)
        case .classification(let classes):
            guard numbers.count == batch.rowCount * classes.count else {
                throw ModelError(.invalidInput, "model.onnx: the graph gave \(numbers.count) probabilities for \(batch.rowCount) rows of \(classes.count) classes")
            }
            return .classification(labelIndices: try labelIndices(outputs, probabilities: numbers, classCount: classes.count, rows: batch.rowCount),
                                   probabilities: numbers, classCount: classes.count)
        }
    }

    /// The batch as the graph's input tensors: the whole batch for one input, else its columns split
    /// across the inputs in order.
    static func graphInputs(_ batch: FeatureBatch, widths: [Int], datatype: TensorDatatype) -> [ONNXTensor] {
        let rows = batch.rowCount, stride = batch.featureCount
        if widths.count <= 1 {
            return [datatype == .fp64
                ? ONNXTensor(shape: [rows, stride], doubles: batch.values)
                : ONNXTensor(shape: [rows, stride], floats: transformed(batch.values) { Float($0) })]
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
        return widths.map { width in
            defer { start += width }
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
        guard labels.count == rows else { throw ModelError(.invalidInput, "model.onnx: the graph gave \(labels.count) labels for \(rows) rows") }
        switch labels.elements {
        case .string(let values):
            return values.enumerated().map { stringLabelIndex[$1] ?? top($0) }
        default:
            let values = labels.int64Values ?? []
            return values.enumerated().map { integerLabelIndex[$1] ?? top($0) }
        }
    }
}
