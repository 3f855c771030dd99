public import VigilModels

/// How model outputs are logged as columns: a classifier's `label` is categorical; a regressor's
/// `predictions` are numeric, one column per target (`predictions[i]` when there are several).
public enum OutputColumns {
    /// One output column's values for a batch: numbers for a numeric column, category names
    /// (nil for none) for a categorical one.
    public struct Values: Sendable {
        public var name: String
        public var kind: FeatureKind
        public var numbers: [Double]
        public var labels: [String?]
    }

    /// The output columns of `signature`, by name and kind.
    public static func columns(of signature: ModelSignature) -> [Feature] {
        switch signature.task {
        case .classification:
            return [Feature(name: ModelSignature.labelOutput, kind: .categorical)]
        case .regression(let targets):
            if targets == 1 { return [Feature(name: ModelSignature.predictionsOutput, kind: .numeric)] }
            return (0..<targets).map { Feature(name: "\(ModelSignature.predictionsOutput)[\($0)]", kind: .numeric) }
        }
    }

    /// Every output column's values: numbers for numeric columns, category names for categorical ones.
    public static func values(of prediction: Prediction, signature: ModelSignature) -> [Values] {
        let columns = columns(of: signature)
        switch (prediction, signature.task) {
        case (.classification(let labels, _, _), .classification(let classes)):
            let names: [String?] = labels.map { index in
                switch classes {
                case .integers(let values): CategoryName.of(Double(values[index]))
                case .strings(let values): values[index]
                }
            }
            return [Values(name: columns[0].name, kind: .categorical, numbers: [], labels: names)]
        case (.regression(let values, let targets), _):
            return columns.enumerated().map { target, column in
                let series = stride(from: target, to: values.count, by: targets).map { values[$0] }
                return Values(name: column.name, kind: .numeric, numbers: series, labels: [])
            }
        default:
            return []
        }
    }
}
