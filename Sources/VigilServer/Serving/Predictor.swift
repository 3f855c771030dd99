import FoundationEssentials
import VigilModels
import VigilMonitor

/// Runs a model on an assembled batch and hands the batch and its outputs to the model's accumulator.
///
/// The one place both protocols predict, so every prediction is logged the same way.
struct Predictor: Sendable {
    func predict(_ served: ServedModel, _ batch: FeatureBatch) throws(VigilError) -> Prediction {
        let loaded = served.model
        let prediction = try loaded.model.predictForRequest(batch)
        served.accumulator?.record(batch, prediction: prediction, signature: loaded.signature, at: Date().timeIntervalSince1970)
        return prediction
    }
}
