/// What a model takes and gives: its features, its task and the V2 tensors that carry them.
public struct ModelSignature: Sendable, Equatable {
    public var features: [Feature] {
        didSet { featureIndex = Self.index(features) }
    }
    /// Each feature's position by name, kept with `features`: requests look names up without building a set.
    public private(set) var featureIndex: [String: Int]
    public var task: ModelTask
    /// The element type the model computes in; inputs of other numeric types are converted to it.
    public var inputDatatype: TensorDatatype
    /// Whether a missing value (NaN) is meaningful to the model, as in tree formats.
    public var acceptsMissingValues: Bool

    public init(features: [Feature], task: ModelTask, inputDatatype: TensorDatatype = .fp32, acceptsMissingValues: Bool = false) {
        self.features = features
        self.featureIndex = Self.index(features)
        self.task = task
        self.inputDatatype = inputDatatype
        self.acceptsMissingValues = acceptsMissingValues
    }

    public var featureNames: [String] { features.map(\.name) }

    /// Positions by name; the first of two features that share a name keeps it.
    private static func index(_ features: [Feature]) -> [String: Int] {
        var index: [String: Int] = [:]
        index.reserveCapacity(features.count)
        for (position, feature) in features.enumerated() where index[feature.name] == nil { index[feature.name] = position }
        return index
    }

    /// The V2 inputs: one `[batch, n_features]` tensor named `input`; for a model with text features,
    /// one `[batch, 1]` tensor per feature, `BYTES` for the text ones. (Both layouts are accepted either way.)
    public var inputs: [TensorSpec] {
        guard features.contains(where: \.takesText) else {
            return [TensorSpec(name: Self.inputName, datatype: inputDatatype, shape: [-1, features.count])]
        }
        return features.map { TensorSpec(name: $0.name, datatype: $0.takesText ? .bytes : inputDatatype, shape: [-1, 1]) }
    }

    /// The V2 outputs: `label` and `probabilities` for classifiers, `predictions` for regressors.
    public var outputs: [TensorSpec] {
        switch task {
        case .classification(let classes):
            let labelType: TensorDatatype
            switch classes {
            case .integers: labelType = .int64
            case .strings: labelType = .bytes
            }
            return [
                TensorSpec(name: Self.labelOutput, datatype: labelType, shape: [-1]),
                TensorSpec(name: Self.probabilitiesOutput, datatype: outputDatatype, shape: [-1, classes.count]),
            ]
        case .regression(let targets):
            return [TensorSpec(name: Self.predictionsOutput, datatype: outputDatatype, shape: targets == 1 ? [-1] : [-1, targets])]
        }
    }

    /// Real-valued outputs are FP64 for models that compute in FP64, FP32 otherwise.
    public var outputDatatype: TensorDatatype { inputDatatype == .fp64 ? .fp64 : .fp32 }

    public static let inputName = "input"
    public static let labelOutput = "label"
    public static let probabilitiesOutput = "probabilities"
    public static let predictionsOutput = "predictions"
}
