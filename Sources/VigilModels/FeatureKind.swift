/// Whether a feature is a measured quantity or a label from a finite set.
public enum FeatureKind: String, Sendable, Codable, Equatable {
    case numeric
    case categorical
}

/// One input feature of a model.
public struct Feature: Sendable, Equatable {
    public var name: String
    public var kind: FeatureKind
    /// Whether the model takes this feature as text (a V2 `BYTES` input): a category name, not a number.
    public var takesText: Bool
    /// The categories the model file names for this feature, in the file's order; empty when it names none.
    public var categories: [String]

    public init(name: String, kind: FeatureKind, takesText: Bool = false, categories: [String] = []) {
        self.name = name
        self.kind = kind
        self.takesText = takesText
        self.categories = categories
    }

    /// The same feature, taken as text: a categorical feature with the categories the model knows.
    public func asText(categories: [String]) -> Feature {
        Feature(name: name, kind: .categorical, takesText: true, categories: categories)
    }
}
