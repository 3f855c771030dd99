import VigilModels
import VigilMonitor

extension ModelRepository {
    /// The loaded model for `name` at `version` (the default version when nil), or the error a client should see.
    func resolve(name: String, version: String?) throws(VigilError) -> LoadedModel {
        try resolveServing(name: name, version: version).model
    }

    /// The model as `resolve` finds it, with the accumulator its predictions are counted in: one
    /// repository lookup for both.
    func resolveServing(name: String, version: String?) throws(VigilError) -> ServedModel {
        let entry = try requireEntry(named: name)
        var number: Int?
        if let version {
            guard let parsed = Int(version), parsed > 0 else {
                throw .badRequest("version '\(version.prefix(32))' is not a positive whole number")
            }
            number = parsed
        }
        guard let state = entry.state(version: number) else {
            let versions = entry.versions.keys.sorted().map(String.init).joined(separator: ", ")
            throw .notFound("model '\(name)' has no version \(version ?? ""); available versions: \(versions)")
        }
        switch state {
        case .ready(let model):
            return ServedModel(model: model, accumulator: entry.accumulator)
        case .failed(let message):
            throw .unavailable("model '\(name)' is not ready: it failed to load: \(message)")
        case .unavailable:
            throw .unavailable("model '\(name)' is unloaded; an admin can load it with POST /v2/repository/models/\(name)/load")
        }
    }

    /// The entry for `name`, or a 404 that lists the models there are.
    func requireEntry(named name: String) throws(VigilError) -> ModelEntry {
        guard let entry = entry(named: name) else {
            let available = snapshot.keys.sorted().joined(separator: ", ")
            throw .notFound("model '\(name.prefix(128))' not found; available models: \(available.isEmpty ? "none" : available)")
        }
        return entry
    }
}

/// A model ready to predict, and where its predictions are counted for drift (nil when not monitored).
struct ServedModel: Sendable {
    let model: LoadedModel
    let accumulator: FeatureAccumulator?
}
