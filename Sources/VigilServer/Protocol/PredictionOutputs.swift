import VigilModels

/// Maps a `Prediction` onto the V2 output tensors of a signature.
struct PredictionOutputs {
    let signature: ModelSignature

    /// The tensors named in `requested` (all when nil or empty), in the signature's order.
    func tensors(for prediction: Prediction, requested: [String]?) throws(VigilError) -> [InferenceResponse.Output] {
        let specs = signature.outputs
        if let requested {
            for name in requested where !specs.contains(where: { $0.name == name }) {
                throw .badRequest("unknown output '\(name)'; this model has outputs \(specs.map(\.name).joined(separator: ", "))")
            }
        }
        let wanted = requested.flatMap { $0.isEmpty ? nil : Set($0) }
        let rows = prediction.rowCount
        var outputs: [InferenceResponse.Output] = []
        outputs.reserveCapacity(specs.count)
        for spec in specs where wanted?.contains(spec.name) ?? true {
            let shape = spec.shape.map { $0 == -1 ? rows : $0 }
            outputs.append(.init(name: spec.name, datatype: spec.datatype.rawValue, shape: shape, data: data(for: spec, prediction)))
        }
        return outputs
    }

    private func data(for spec: TensorSpec, _ prediction: Prediction) -> OutputData {
        switch prediction {
        case .classification(let labelIndices, let probabilities, _):
            if spec.name == ModelSignature.labelOutput, case .classification(let classes) = signature.task {
                switch classes {
                case .integers(let values): return .int64(labelIndices.map { values[$0] })
                case .strings(let values): return .strings(labelIndices.map { values[$0] })
                }
            }
            return real(probabilities, spec.datatype)
        case .regression(let values, _):
            return real(values, spec.datatype)
        }
    }

    private func real(_ values: [Double], _ datatype: TensorDatatype) -> OutputData {
        datatype == .fp64 ? .float64(values) : .float32(values.map { Float($0) })
    }
}
