import FoundationEssentials

/// The optional `vigil.json` of a model folder: feature names and kinds, and which reference columns to skip.
///
/// Keys this version does not know are ignored, so newer settings (drift, alerts) can sit in the same file.
public struct ModelConfiguration: Sendable, Decodable, Equatable {
    /// A declared feature; `type` is inferred from the reference data when absent.
    public struct FeatureDeclaration: Sendable, Decodable, Equatable {
        public var name: String
        public var type: FeatureKind?
        /// A drift in a critical feature is a dataset drift on its own.
        public var critical: Bool?

        public init(name: String, type: FeatureKind? = nil, critical: Bool? = nil) {
            self.name = name
            self.type = type
            self.critical = critical
        }

        public init(from decoder: any Decoder) throws {
            // A plain string is a name with nothing else declared.
            if let name = try? decoder.singleValueContainer().decode(String.self) {
                self.init(name: name)
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                name: try container.decode(String.self, forKey: .name),
                type: try container.decodeIfPresent(FeatureKind.self, forKey: .type),
                critical: try container.decodeIfPresent(Bool.self, forKey: .critical)
            )
        }

        enum CodingKeys: String, CodingKey { case name, type, critical }
    }

    public var features: [FeatureDeclaration]?
    /// Reference columns that are not model inputs: the label, an id, a timestamp.
    public var ignoreColumns: [String]?
    /// Drift thresholds for this model; unset ones keep the server's defaults.
    public var drift: DriftSettings.Overrides?
    /// Where this model's alerts go, besides the server-wide receivers.
    public var alerts: AlertRouting?

    public init(
        features: [FeatureDeclaration]? = nil, ignoreColumns: [String]? = nil, drift: DriftSettings.Overrides? = nil,
        alerts: AlertRouting? = nil
    ) {
        self.features = features
        self.ignoreColumns = ignoreColumns
        self.drift = drift
        self.alerts = alerts
    }

    enum CodingKeys: String, CodingKey {
        case features
        case ignoreColumns = "ignore_columns"
        case drift, alerts
    }

    /// Parses `vigil.json`.
    public static func parse(_ bytes: [UInt8]) throws(ModelError) -> ModelConfiguration {
        do {
            return try JSONDecoder().decode(ModelConfiguration.self, from: Data(bytes))
        } catch {
            throw ModelError(.invalidModel, "vigil.json is not valid: \(readableDescription(of: error))")
        }
    }
}
