import FoundationEssentials
import VigilModels
import VigilMonitor

/// Runs a model on an assembled batch and hands the batch and its outputs to the feature log.
///
/// The one place both protocols predict, so every prediction is logged the same way.
struct Predictor: Sendable {
    let featureLog: FeatureLog?

    func predict(_ loaded: LoadedModel, _ batch: FeatureBatch) throws(VigilError) -> Prediction {
        let prediction = try loaded.model.predictForRequest(batch)
        featureLog?.record(model: loaded.name, batch: batch, prediction: prediction, signature: loaded.signature)
        return prediction
    }
}
