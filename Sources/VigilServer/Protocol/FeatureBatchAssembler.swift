import VigilModels

/// Fits request tensors to a model's features: one `[batch, n]` tensor, or one `[batch]`/`[batch, 1]` tensor per feature.
///
/// Values are converted to the model's input type (FP32 models see FP32-rounded values, as MLServer
/// converts with numpy) and checked for NaN when the model cannot take missing values. Text features
/// (`Feature.takesText`) take strings, `null` for a missing category: a BYTES tensor of their own, or
/// their cells of a `[batch, n]` BYTES tensor whose other cells are numbers (or numeric strings).
struct FeatureBatchAssembler {
    let modelName: String
    let signature: ModelSignature

    func assemble(_ tensors: [NamedTensor]) throws(VigilError) -> FeatureBatch {
        // Names are looked up in the signature's index; the lists of names are built only for errors.
        let featureCount = signature.features.count
        let names = { signature.featureNames.joined(separator: ", ") }
        guard !tensors.isEmpty else {
            throw .badRequest(
                "the request has no inputs; model '\(modelName)' expects one [batch, \(featureCount)] input or one input per feature (\(names()))"
            )
        }
        let isFeature = { (tensor: NamedTensor) in signature.featureIndex[tensor.name] != nil }
        var batch: FeatureBatch
        if tensors.allSatisfy(isFeature)
            && !(tensors.count == 1 && featureCount > 1 && tensors[0].shape.count == 2 && tensors[0].shape[1] == featureCount)
        {
            batch = try assemblePerFeature(tensors)
        } else if tensors.count == 1 {
            batch = try assembleMatrix(tensors[0])
        } else {
            let unknown = tensors.filter { !isFeature($0) }.map(\.name)
            throw .badRequest(
                "inputs \(unknown.map { "'\($0)'" }.joined(separator: ", ")) are not features of model '\(modelName)'; send one [batch, \(featureCount)] input or one input per feature (\(names()))"
            )
        }
        try finish(&batch, inputName: tensors.count == 1 ? tensors[0].name : nil)
        return batch
    }

    private func assembleMatrix(_ tensor: NamedTensor) throws(VigilError) -> FeatureBatch {
        let featureCount = signature.features.count
        guard tensor.shape.count == 2 else {
            throw .badRequest("input '\(tensor.name)' has shape \(tensor.shape); model '\(modelName)' expects [batch, \(featureCount)]")
        }
        guard tensor.shape[1] == featureCount else {
            throw .badRequest("input '\(tensor.name)' has \(tensor.shape[1]) values per row; model '\(modelName)' expects \(featureCount)")
        }
        guard tensor.shape[0] > 0 else {
            throw .badRequest("input '\(tensor.name)' has an empty batch; send at least one row")
        }
        let rows = tensor.shape[0]
        guard signature.features.contains(where: \.takesText) else {
            return FeatureBatch(rowCount: rows, featureCount: featureCount, values: try tensor.numericValues())
        }
        let textFeatures = signature.features.indices.filter { signature.features[$0].takesText }
        // Cell by cell: text features read strings, the others numbers.
        var values = [Double](repeating: .nan, count: rows * featureCount)
        var texts: [Int: [String?]] = [:]
        for feature in textFeatures { texts[feature] = [String?](repeating: nil, count: rows) }
        for (feature, description) in signature.features.enumerated() {
            for row in 0..<rows {
                let index = row * featureCount + feature
                if description.takesText {
                    texts[feature]?[row] = try tensor.text(at: index)
                } else {
                    values[index] = try tensor.number(at: index)
                }
            }
        }
        return FeatureBatch(rowCount: rows, featureCount: featureCount, values: values, texts: texts)
    }

    private func assemblePerFeature(_ tensors: [NamedTensor]) throws(VigilError) -> FeatureBatch {
        let featureNames = signature.featureNames
        var columns: [String: [Double]] = [:]
        var textColumns: [String: [String?]] = [:]
        let textNames = Set(signature.features.filter(\.takesText).map(\.name))
        var rowCount: Int?
        for tensor in tensors {
            guard columns[tensor.name] == nil && textColumns[tensor.name] == nil else {
                throw .badRequest("input '\(tensor.name)' is sent twice")
            }
            guard tensor.shape.count == 1 || (tensor.shape.count == 2 && tensor.shape[1] == 1) else {
                throw .badRequest("input '\(tensor.name)' has shape \(tensor.shape); a per-feature input must be [batch] or [batch, 1]")
            }
            if let rowCount, rowCount != tensor.shape[0] {
                throw .badRequest(
                    "input '\(tensor.name)' has batch size \(tensor.shape[0]) but other inputs have \(rowCount); every input needs the same batch size"
                )
            }
            rowCount = tensor.shape[0]
            if textNames.contains(tensor.name) {
                textColumns[tensor.name] = try tensor.textValues()
            } else {
                columns[tensor.name] = try tensor.numericValues()
            }
        }
        let missing = featureNames.filter { columns[$0] == nil && textColumns[$0] == nil }
        guard missing.isEmpty else {
            throw .badRequest(
                "model '\(modelName)' needs an input for every feature; missing \(missing.map { "'\($0)'" }.joined(separator: ", "))")
        }
        let rows = rowCount ?? 0
        guard rows > 0 else { throw .badRequest("the inputs have an empty batch; send at least one row") }
        var values = [Double](repeating: .nan, count: rows * featureNames.count)
        var texts: [Int: [String?]] = [:]
        for (featureIndex, name) in featureNames.enumerated() {
            if let column = textColumns[name] { texts[featureIndex] = column }
            guard let column = columns[name] else { continue }
            for row in 0..<rows { values[row * featureNames.count + featureIndex] = column[row] }
        }
        return FeatureBatch(rowCount: rows, featureCount: featureNames.count, values: values, texts: texts)
    }

    private func finish(_ batch: inout FeatureBatch, inputName: String?) throws(VigilError) {
        let roundToFloat = signature.inputDatatype == .fp32 || signature.inputDatatype == .fp16
        let featureCount = batch.featureCount
        let acceptsMissing = signature.acceptsMissingValues
        // A text feature's place in the numbers is NaN by design.
        let isText: [Bool]? = batch.texts.isEmpty ? nil : (0..<featureCount).map { batch.texts[$0] != nil }
        for index in batch.values.indices {
            if let isText, isText[index % featureCount] { continue }
            let value = batch.values[index]
            if !value.isFinite && !(acceptsMissing && value.isNaN) {
                let feature = signature.featureNames[index % featureCount]
                let input = inputName ?? feature
                let what = value.isNaN ? "NaN (a missing value)" : "an infinite value"
                throw .badRequest(
                    "input '\(input)' has \(what) at row \(index / featureCount), feature '\(feature)'; model '\(modelName)' needs finite numbers"
                )
            }
            if roundToFloat { batch.values[index] = Double(Float(value)) }
        }
    }
}
