/// A batch of rows of features: numbers stored row-major in one buffer, text in columns of its own.
///
/// Missing numbers are `.nan`. A feature the model takes as text (`Feature.takesText`) has a column
/// in `texts`, keyed by its feature index, with nil for a missing value; its place in `values`
/// holds `.nan` and is never read as a number. The buffers are sized once per request, so no row allocates.
public struct FeatureBatch: Sendable {
    public let rowCount: Int
    public let featureCount: Int
    /// `rowCount * featureCount` values, row after row.
    public var values: [Double]
    /// For each text feature, by feature index, its `rowCount` values top to bottom.
    public var texts: [Int: [String?]]

    public init(rowCount: Int, featureCount: Int, values: [Double], texts: [Int: [String?]] = [:]) {
        precondition(values.count == rowCount * featureCount, "FeatureBatch values must be rowCount * featureCount")
        precondition(
            texts.allSatisfy { $0.key >= 0 && $0.key < featureCount && $0.value.count == rowCount },
            "FeatureBatch text columns must be features of the batch, with rowCount values")
        self.rowCount = rowCount
        self.featureCount = featureCount
        self.values = values
        self.texts = texts
    }

    /// The value of `feature` in `row`.
    @inlinable
    public subscript(row: Int, feature: Int) -> Double {
        values[row * featureCount + feature]
    }

    /// Throws the error every model gives for a batch of the wrong width, or one that lacks a text column the model needs.
    public func requireFeatures(_ features: [Feature]) throws(ModelError) {
        guard featureCount == features.count else {
            throw ModelError(.invalidInput, "batch has \(featureCount) features per row; the model expects \(features.count)")
        }
        for (index, feature) in features.enumerated() where feature.takesText && texts[index] == nil {
            throw ModelError(.invalidInput, "feature '\(feature.name)' takes text, but the batch has numbers for it")
        }
    }

    /// The numbers with each text feature replaced by its code in `codes` (by feature index): the row
    /// buffer a tree model walks. A missing or unknown category becomes NaN, a missing value.
    public func encodingTexts(_ codes: [Int: [String: Double]]) -> [Double] {
        guard !texts.isEmpty else { return values }
        var encoded = values
        for (feature, column) in texts {
            let table = codes[feature] ?? [:]
            for (row, text) in column.enumerated() {
                encoded[row * featureCount + feature] = text.flatMap { table[$0] } ?? .nan
            }
        }
        return encoded
    }
}
