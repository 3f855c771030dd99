/// A loaded, immutable model that turns a batch of feature rows into predictions.
public protocol InferenceModel: Sendable {
    /// The features, task and tensors of the model.
    var signature: ModelSignature { get }
    /// Predicts every row of `batch`, whose `featureCount` equals the signature's feature count.
    func predict(_ batch: FeatureBatch) throws(ModelError) -> Prediction
}
