/// Which outputs go back as binary data (Triton's extension): an output whose request sets
/// `parameters.binary_data`, and, when that is absent, the request's `parameters.binary_data_output`.
struct BinaryOutputChoice {
    private let byDefault: Bool
    private let perOutput: [String: Bool]

    init(_ request: borrowing InferenceRequest) throws(VigilError) {
        byDefault = try Self.flag(request.parameters?.binaryDataOutput, "parameters.binary_data_output") ?? false
        var perOutput: [String: Bool] = [:]
        for output in request.outputs ?? [] {
            perOutput[output.name] = try Self.flag(output.parameters?.binaryData, "output '\(output.name)' parameters.binary_data")
        }
        self.perOutput = perOutput
    }

    func wants(_ output: String) -> Bool {
        perOutput.isEmpty ? byDefault : perOutput[output] ?? byDefault
    }

    private static func flag(_ value: ParameterValue?, _ what: @autoclosure () -> String) throws(VigilError) -> Bool? {
        switch value {
        case nil: nil
        case .bool(let flag): flag
        default: throw .badRequest("\(what()) must be true or false")
        }
    }
}
