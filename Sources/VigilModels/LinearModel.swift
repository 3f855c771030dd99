import FoundationEssentials

/// A linear or logistic model: Vigil's native JSON format (`model.json`).
///
/// Regression outputs `W x + b` for each target. Binary logistic regression has one row of
/// weights and gives `[1 - p, p]` with `p = sigmoid(w x + b)`; multinomial logistic regression
/// has one row per class and gives `softmax(W x + b)`, as scikit-learn's `predict_proba` does.
public struct LinearModel: InferenceModel {
    public enum Kind: String, Sendable, Codable {
        case regression
        case logistic
    }

    public let signature: ModelSignature
    public let kind: Kind
    /// `outputCount * featureCount` weights, one row per output.
    let weights: [Double]
    let intercepts: [Double]

    public init(signature: ModelSignature, kind: Kind, coefficients: [[Double]], intercepts: [Double]) throws(ModelError) {
        let featureCount = signature.features.count
        guard !coefficients.isEmpty else { throw ModelError(.invalidModel, "linear model has no coefficients") }
        for (index, row) in coefficients.enumerated() where row.count != featureCount {
            throw ModelError(.invalidModel, "coefficients row \(index) has \(row.count) values; the model has \(featureCount) features")
        }
        guard intercepts.count == coefficients.count else {
            throw ModelError(.invalidModel, "linear model has \(coefficients.count) coefficient rows but \(intercepts.count) intercepts")
        }
        guard coefficients.allSatisfy({ $0.allSatisfy(\.isFinite) }), intercepts.allSatisfy(\.isFinite) else {
            throw ModelError(.invalidModel, "linear model coefficients and intercepts must be finite numbers")
        }
        switch (kind, signature.task) {
        case (.regression, .regression(let targets)) where targets == coefficients.count:
            break
        case (.logistic, .classification(let classes)) where classes.count == 2 && coefficients.count == 1:
            break
        case (.logistic, .classification(let classes)) where classes.count >= 2 && classes.count == coefficients.count:
            break
        case (.logistic, .classification(let classes)):
            throw ModelError(
                .invalidModel,
                "logistic model with \(classes.count) classes needs 1 coefficient row (binary) or \(classes.count) rows (multinomial), not \(coefficients.count)"
            )
        default:
            throw ModelError(.invalidModel, "a \(kind.rawValue) model needs a matching task")
        }
        self.signature = signature
        self.kind = kind
        self.weights = coefficients.flatMap { $0 }
        self.intercepts = intercepts
    }

    public func predict(_ batch: FeatureBatch) throws(ModelError) -> Prediction {
        let featureCount = signature.features.count
        try batch.requireFeatures(signature.features)
        let outputCount = intercepts.count
        var scores = [Double](repeating: 0, count: batch.rowCount * outputCount)
        batch.values.withUnsafeBufferPointer { x in
            weights.withUnsafeBufferPointer { w in
                for row in 0..<batch.rowCount {
                    let xRow = row * featureCount
                    for output in 0..<outputCount {
                        var sum = intercepts[output]
                        let wRow = output * featureCount
                        for feature in 0..<featureCount {
                            sum += w[wRow + feature] * x[xRow + feature]
                        }
                        scores[row * outputCount + output] = sum
                    }
                }
            }
        }
        switch signature.task {
        case .regression(let targets):
            return .regression(values: scores, targets: targets)
        case .classification(let classes):
            // One row of weights is binary logistic regression; one per class is multinomial.
            return outputCount == 1 ? .binary(margins: scores) : .softmax(scores: scores, classes: classes.count)
        }
    }
}
