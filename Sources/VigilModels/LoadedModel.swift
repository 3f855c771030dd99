/// A model read from its folder, with everything the server and the monitor need to know of it.
public struct LoadedModel: Sendable {
    public let name: String
    public let version: Int
    public let format: ModelFormat
    public let model: any InferenceModel
    public let configuration: ModelConfiguration
    /// The training sample from `reference.csv[.gz]`, restricted to the model's features, if present.
    public let reference: CSVTable?
    /// Why the model serves without monitoring (its reference is missing a feature or cannot be read), if it does.
    public let monitoringIssue: String?

    public var signature: ModelSignature { model.signature }

    public init(
        name: String, version: Int, format: ModelFormat, model: any InferenceModel, configuration: ModelConfiguration, reference: CSVTable?,
        monitoringIssue: String? = nil
    ) {
        self.name = name
        self.version = version
        self.format = format
        self.model = model
        self.configuration = configuration
        self.reference = reference
        self.monitoringIssue = monitoringIssue
    }
}
