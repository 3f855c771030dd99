/// What a model predicts.
public enum ModelTask: Sendable, Equatable {
    /// One of `classes`; outputs a label and a probability per class.
    case classification(classes: ClassLabels)
    /// `targets` real values per row.
    case regression(targets: Int)
}

/// The labels of a classifier, in the order of its probability columns.
public enum ClassLabels: Sendable, Equatable {
    case integers([Int64])
    case strings([String])

    public var count: Int {
        switch self {
        case .integers(let values): values.count
        case .strings(let values): values.count
        }
    }
}
