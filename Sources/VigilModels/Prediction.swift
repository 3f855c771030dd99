/// The outputs of a model for one batch.
public enum Prediction: Sendable, Equatable {
    /// For each row the index of the predicted class, and `rowCount * classCount` probabilities, row-major.
    case classification(labelIndices: [Int], probabilities: [Double], classCount: Int)
    /// `rowCount * targets` values, row-major.
    case regression(values: [Double], targets: Int)

    /// The number of rows predicted.
    public var rowCount: Int {
        switch self {
        case .classification(let labels, _, _): labels.count
        case .regression(let values, let targets): targets == 0 ? 0 : values.count / targets
        }
    }
}
