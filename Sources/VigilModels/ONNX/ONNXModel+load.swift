import FoundationEssentials
internal import SwiftProtobuf

extension ONNXModel {
    /// Parses and compiles `model.onnx`. `features` (from `vigil.json` or the reference header) name the columns.
    public static func parse(bytes: [UInt8], features override: [Feature]?) throws(ModelError) -> ONNXModel {
        let model: Onnx_ModelProto
        do {
            model = try Onnx_ModelProto(serializedBytes: bytes)
        } catch {
            throw ModelError(.invalidModel, "model.onnx is not a valid ONNX file (protobuf: \(error))")
        }
        guard model.hasGraph, !model.graph.node.isEmpty else {
            throw ModelError(.invalidModel, "model.onnx has no graph nodes; is it an ONNX model file?")
        }
        let graphProto = model.graph
        var opsets: [String: Int] = [:]
        for entry in model.opsetImport { opsets[entry.domain.isEmpty ? "ai.onnx" : entry.domain] = Int(entry.version) }

        let initializers = Set(graphProto.initializer.map(\.name))
        let inputs = graphProto.input.filter { !initializers.contains($0.name) }
        guard !inputs.isEmpty else { throw ModelError(.invalidModel, "model.onnx has no inputs") }
        // One [batch, n] input, or one input per column (or group of columns): numeric inputs all float
        // or all double, string inputs for text features.
        var datatype: TensorDatatype?
        var graphInputs: [GraphInput] = []
        for input in inputs {
            guard case .tensorType(let tensorType)? = input.type.value else {
                throw ModelError(.unsupported, "model.onnx input \"\(input.name)\" is not a tensor")
            }
            var takesText = false
            switch Onnx_TensorProto.DataType(rawValue: Int(tensorType.elemType)) {
            case .float, .double:
                let type: TensorDatatype = tensorType.elemType == Int32(Onnx_TensorProto.DataType.float.rawValue) ? .fp32 : .fp64
                guard datatype == nil || datatype == type else {
                    throw ModelError(.unsupported, "model.onnx mixes float and double inputs; convert every numeric input with one type")
                }
                datatype = type
            case .string:
                takesText = true
            default:
                throw ModelError(
                    .unsupported,
                    "model.onnx input \"\(input.name)\" has element type \(tensorType.elemType); Vigil serves float, double and string inputs"
                )
            }
            let dims = tensorType.shape.dim
            guard dims.count == 2 || (dims.count == 1 && inputs.count > 1) else {
                throw ModelError(
                    .unsupported, "model.onnx input \"\(input.name)\" has rank \(dims.count); Vigil serves [batch, features] inputs")
            }
            var width: Int? = dims.count == 1 ? 1 : nil
            if dims.count == 2, case .dimValue(let value)? = dims[1].value, value > 0 { width = Int(value) }
            if width == nil, inputs.count == 1 { width = override?.count }
            guard let width else {
                throw ModelError(
                    .invalidModel,
                    "model.onnx input \"\(input.name)\" does not fix its number of columns; name the features in vigil.json or reference.csv, or convert with a fixed width"
                )
            }
            graphInputs.append(GraphInput(width: width, takesText: takesText))
        }
        let featureCount = graphInputs.reduce(0) { $0 + $1.width }
        let datatypeOfInputs = datatype ?? .fp32
        // Per-column inputs name their features; a single input leaves names to vigil.json or the reference.
        let inputFeatureNames: [String]? =
            inputs.count == 1
            ? nil
            : zip(inputs, graphInputs).flatMap { input, graphInput in
                graphInput.width == 1 ? [input.name] : (0..<graphInput.width).map { "\(input.name)_\($0)" }
            }
        // The feature index of every column of each string input.
        var textColumns: [String: [Int]] = [:]
        var offset = 0
        for (input, graphInput) in zip(inputs, graphInputs) {
            if graphInput.takesText { textColumns[input.name] = Array(offset..<offset + graphInput.width) }
            offset += graphInput.width
        }

        var operators: [String] = []
        let graph = try ONNXGraph(graphProto, inputNames: inputs.map(\.name)) { (proto) throws(ModelError) in
            let domain = proto.domain.isEmpty ? "ai.onnx" : proto.domain
            let node = ONNXNode(proto, opset: opsets[domain] ?? 1)
            operators.append("\(domain):\(proto.opType)")
            return (node.label, try ONNXOperatorSet.makeOperator(node))
        }

        var features = try Feature.resolve(override: override, fileNames: inputFeatureNames, count: featureCount, file: "model.onnx")
        let categories = ONNXCategoryTrace.categories(graphProto, textColumns: textColumns)
        for index in textColumns.values.joined() { features[index] = features[index].asText(categories: categories[index] ?? []) }
        let outputs = graphProto.output
        // A dry run on one row of zeros gives every output's width, whatever the declared shapes say;
        // where the graph cannot take zeros (a strict one-hot encoder), the declared shapes must do.
        // Text features probe with a category the model knows.
        var probeTexts: [Int: [String?]] = [:]
        for index in textColumns.values.joined() { probeTexts[index] = [categories[index]?.first ?? ""] }
        let probe = ONNXModel.tensors(
            FeatureBatch(rowCount: 1, featureCount: featureCount, values: .init(repeating: 0, count: featureCount), texts: probeTexts),
            inputs: graphInputs, datatype: datatypeOfInputs)
        let layout: ONNXOutputLayout
        do throws(ModelError) {
            let probed = try graph.run(probe)
            guard let found = ONNXOutputLayout(probed: probed) else {
                throw ModelError(
                    .unsupported, "model.onnx has no float or double output; outputs: \(outputs.map(\.name).joined(separator: ", "))")
            }
            layout = found
        } catch  where error.kind == .invalidInput {
            guard let declared = ONNXOutputLayout(declared: graphProto) else {
                throw ModelError(
                    .invalidModel, "model.onnx fails on a row of zeros (\(error.message)) and its outputs do not declare their widths")
            }
            layout = declared
        }
        let labelOutput = layout.label
        let valueOutput = layout.value
        let width = layout.width
        let task: ModelTask
        var integerIndex: [Int64: Int] = [:]
        var stringIndex: [String: Int] = [:]
        if let labelOutput {
            let classes = classLabels(graphProto, labelOutput: outputs[labelOutput].name, labelIsString: layout.labelIsString, count: width)
            guard classes.count == width else {
                throw ModelError(.invalidModel, "model.onnx names \(classes.count) classes but gives \(width) probabilities per row")
            }
            switch classes {
            case .integers(let values): for (i, v) in values.enumerated() where integerIndex[v] == nil { integerIndex[v] = i }
            case .strings(let values): for (i, v) in values.enumerated() where stringIndex[v] == nil { stringIndex[v] = i }
            }
            task = .classification(classes: classes)
        } else {
            task = .regression(targets: width)
        }
        let handlesMissing = operators.contains { $0.hasSuffix(":Imputer") || $0.contains(":TreeEnsemble") }
        let signature = ModelSignature(
            features: features, task: task, inputDatatype: datatypeOfInputs, acceptsMissingValues: handlesMissing)
        let producer = [model.producerName, model.producerVersion].filter { !$0.isEmpty }.joined(separator: " ")
        return ONNXModel(
            signature: signature, operators: operators, producer: producer, graph: graph, graphInputs: graphInputs,
            labelOutput: labelOutput,
            valueOutput: valueOutput, integerLabelIndex: integerIndex, stringLabelIndex: stringIndex)
    }

    /// The class labels: from a ZipMap or classifier node's attributes, else the initializer an
    /// ArrayFeatureExtractor picks the label from (skl2onnx's MLP), else 0..<count.
    private static func classLabels(_ graph: Onnx_GraphProto, labelOutput: String, labelIsString: Bool, count: Int) -> ClassLabels {
        // The same attribute reading the classifier operators use (ZipMap names its integers
        // classlabels_int64s, LinearClassifier classlabels_ints).
        for proto in graph.node.reversed() {
            let node = ONNXNode(proto, opset: 1)
            for integers in ["classlabels_int64s", "classlabels_ints"] {
                if let classes = try? node.classLabels(integers: integers) { return classes }
            }
        }
        // Walk back from the label output through single-input nodes to an ArrayFeatureExtractor over constants.
        let producers = Dictionary(graph.node.flatMap { node in node.output.map { ($0, node) } }, uniquingKeysWith: { first, _ in first })
        let constants = Dictionary(graph.initializer.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var name = labelOutput
        for _ in 0..<graph.node.count {
            guard let node = producers[name] else { break }
            if node.opType == "ArrayFeatureExtractor", let source = node.input.first, let initializer = constants[source],
                let tensor = try? ONNXTensor(proto: initializer, context: "classes")
            {
                switch tensor.elements {
                case .string(let values): return .strings(values)
                case .int64(let values): return .integers(values)
                default: break
                }
            }
            guard let next = node.input.first else { break }
            name = next
        }
        return labelIsString ? .strings((0..<count).map(String.init)) : .integers((0..<count).map(Int64.init))
    }
}

/// Which graph outputs carry the label and the values, and how many values a row has.
struct ONNXOutputLayout {
    var label: Int?
    var labelIsString = false
    var value: Int
    var width: Int

    /// From the outputs of a one-row run: the first one-element integer or string output is the label,
    /// the first float or double output the values.
    init?(probed outputs: [ONNXTensor]) {
        var label: Int?
        var value: Int?
        for (index, tensor) in outputs.enumerated() {
            switch tensor.elements {
            case .int64, .string:
                if label == nil, tensor.count == 1 {
                    label = index
                    if case .string = tensor.elements { labelIsString = true }
                }
            case .float, .double:
                if value == nil { value = index }
            }
        }
        guard let value else { return nil }
        self.label = label
        self.value = value
        self.width = outputs[value].count
    }

    /// From the declared output types: integer or string tensors of one value per row are labels,
    /// float tensors `[batch]` or `[batch, k]` with a fixed k, or ZipMap's sequence of maps, are values.
    init?(declared graph: Onnx_GraphProto) {
        var label: Int?
        var value: Int?
        var width: Int?
        for (index, output) in graph.output.enumerated() {
            switch output.type.value {
            case .tensorType(let tensor)?:
                let dims = tensor.shape.dim.map { dim -> Int? in if case .dimValue(let v)? = dim.value { Int(v) } else { nil } }
                let perRow: Int? = dims.count == 1 ? 1 : (dims.count == 2 ? dims[1] : nil)
                switch Onnx_TensorProto.DataType(rawValue: Int(tensor.elemType)) {
                case .int64, .int32, .string:
                    if label == nil, perRow == 1 {
                        label = index
                        labelIsString = tensor.elemType == Int32(Onnx_TensorProto.DataType.string.rawValue)
                    }
                case .float, .double:
                    if value == nil, let perRow {
                        value = index
                        width = perRow
                    }
                default:
                    break
                }
            case .sequenceType?:
                // ZipMap: as many values as the node producing it has class labels.
                if value == nil, let node = graph.node.first(where: { $0.output.contains(output.name) && $0.opType == "ZipMap" }),
                    let classes = node.attribute.first(where: { $0.name == "classlabels_int64s" || $0.name == "classlabels_strings" })
                {
                    value = index
                    width = max(classes.ints.count, classes.strings.count)
                }
            default:
                break
            }
        }
        guard let value, let width, width > 0 else { return nil }
        self.label = label
        self.value = value
        self.width = width
    }
}
