/// A batch of rows of numeric features, stored row-major in one buffer.
///
/// Missing values are `.nan`. The buffer is sized once per request, so no row allocates.
public struct FeatureBatch: Sendable {
    public let rowCount: Int
    public let featureCount: Int
    /// `rowCount * featureCount` values, row after row.
    public var values: [Double]

    public init(rowCount: Int, featureCount: Int, values: [Double]) {
        precondition(values.count == rowCount * featureCount, "FeatureBatch values must be rowCount * featureCount")
        self.rowCount = rowCount
        self.featureCount = featureCount
        self.values = values
    }

    /// The value of `feature` in `row`.
    @inlinable
    public subscript(row: Int, feature: Int) -> Double {
        values[row * featureCount + feature]
    }

    /// Throws the error every model gives for a batch of the wrong width.
    public func requireFeatureCount(_ expected: Int) throws(ModelError) {
        guard featureCount == expected else {
            throw ModelError(.invalidInput, "batch has \(featureCount) features per row; the model expects \(expected)")
        }
    }
}
