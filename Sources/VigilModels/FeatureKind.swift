/// Whether a feature is a measured quantity or a label from a finite set.
public enum FeatureKind: String, Sendable, Codable, Equatable {
    case numeric
    case categorical
}

/// One input feature of a model.
public struct Feature: Sendable, Equatable {
    public var name: String
    public var kind: FeatureKind

    public init(name: String, kind: FeatureKind) {
        self.name = name
        self.kind = kind
    }
}
