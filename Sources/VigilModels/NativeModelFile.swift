import FoundationEssentials

/// The on-disk shape of Vigil's native JSON model format (`model.json`). See README, "Native model format".
struct NativeModelFile: Decodable {
    var format: String
    var kind: LinearModel.Kind
    var features: [String]?
    var coefficients: [[Double]]
    var intercepts: [Double]
    var classes: ClassList?
    var datatype: TensorDatatype?

    enum ClassList: Decodable {
        case integers([Int64])
        case strings([String])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let integers = try? container.decode([Int64].self) {
                self = .integers(integers)
            } else {
                self = .strings(try container.decode([String].self))
            }
        }
    }

    static let formatName = "vigil-linear"
}

extension LinearModel {
    /// Parses a native JSON model. `featureNames` (from `vigil.json` or the reference header) win over the file's own.
    public static func parse(json data: [UInt8], features override: [Feature]?) throws(ModelError) -> LinearModel {
        let file: NativeModelFile
        do {
            file = try JSONDecoder().decode(NativeModelFile.self, from: Data(data))
        } catch {
            throw ModelError(.invalidModel, "model.json is not a valid native model: \(readableDescription(of: error))")
        }
        guard file.format == NativeModelFile.formatName else {
            throw ModelError(.invalidModel, "model.json has format '\(file.format)'; expected '\(NativeModelFile.formatName)'")
        }
        let width = file.coefficients.first?.count ?? 0
        let features: [Feature]
        if let override {
            guard override.count == width else {
                throw ModelError(
                    .invalidModel,
                    "model.json takes \(width) features but \(override.count) columns were named (by vigil.json or the reference.csv header); list non-input reference columns in vigil.json \"ignore_columns\""
                )
            }
            features = override
        } else if let names = file.features {
            features = names.map { Feature(name: $0, kind: .numeric) }
        } else {
            features = (0..<width).map { Feature(name: "f\($0)", kind: .numeric) }
        }
        if let names = file.features, names.count != features.count {
            throw ModelError(.invalidModel, "model.json names \(names.count) features but \(features.count) are configured")
        }
        let task: ModelTask
        switch (file.kind, file.classes) {
        case (.regression, _):
            task = .regression(targets: file.coefficients.count)
        case (.logistic, .integers(let values)?):
            task = .classification(classes: .integers(values))
        case (.logistic, .strings(let values)?):
            task = .classification(classes: .strings(values))
        case (.logistic, nil):
            let count = file.coefficients.count == 1 ? 2 : file.coefficients.count
            task = .classification(classes: .integers((0..<Int64(count)).map { $0 }))
        }
        let datatype = file.datatype ?? .fp64
        guard datatype == .fp32 || datatype == .fp64 else {
            throw ModelError(.invalidModel, "model.json datatype must be FP32 or FP64, not \(datatype.rawValue)")
        }
        let signature = ModelSignature(features: features, task: task, inputDatatype: datatype)
        return try LinearModel(signature: signature, kind: file.kind, coefficients: file.coefficients, intercepts: file.intercepts)
    }
}
