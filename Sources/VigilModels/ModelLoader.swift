public import FoundationEssentials

/// Reads one model folder (a model's folder or one of its numeric version folders) into a `LoadedModel`.
///
/// `vigil.json` and `reference.csv[.gz]` are looked up in the version folder first, then in the model folder.
/// Feature names come from `vigil.json`, then the reference header, then the model file, in that order.
public struct ModelLoader: Sendable {
    /// The most a gzipped model or reference file may inflate to.
    public var maximumFileSize: Int

    public init(maximumFileSize: Int = 1 << 30) {
        self.maximumFileSize = maximumFileSize
    }

    public func load(name: String, version: Int, directory: URL, modelDirectory: URL) throws(ModelError) -> LoadedModel {
        let searchPath = directory == modelDirectory ? [directory] : [directory, modelDirectory]
        guard let (format, modelFile) = Self.findModelFile(in: directory) else {
            let names = ModelFormat.allCases.map(\.fileName).joined(separator: ", ")
            throw ModelError(.invalidModel, "no model file in \(directory.path); expected one of \(names) (optionally .gz)")
        }
        var configuration = ModelConfiguration()
        if let file = Self.firstFile(named: "vigil.json", in: searchPath) {
            configuration = try ModelConfiguration.parse(try read(file))
        }
        var reference: CSVTable?
        var monitoringIssue: String?
        if let file = Self.firstFile(named: "reference.csv", in: searchPath) {
            do throws(ModelError) {
                let table = try CSVTable(parsing: try read(file))
                let ignored = Self.ignoredColumns(configuration)
                reference = table.selecting(columns: table.header.filter { !ignored.contains($0) })
            } catch {
                // A broken reference costs the model its monitoring, never its serving.
                monitoringIssue = "\(file.lastPathComponent) cannot be read: \(error.message)"
            }
        }
        let modelBytes = try read(modelFile)
        let features = try resolveFeatures(configuration: configuration, reference: reference)
        var model: any InferenceModel
        do throws(ModelError) {
            model = try Self.parse(format, modelBytes, features: features)
        } catch {
            // Reference columns that are not the model's inputs (a label, an id, the outputs) must not
            // stop the model: it serves under its own feature names, and monitoring says why it is off.
            guard configuration.features == nil, let table = reference, let own = try? Self.parse(format, modelBytes, features: nil) else {
                throw error
            }
            model = own
            let names = own.signature.featureNames
            if Set(names).isSubset(of: table.header),
                let named = try? resolveFeatures(configuration: configuration, reference: table.selecting(columns: names)),
                let typed = try? Self.parse(format, modelBytes, features: named)
            {
                model = typed
            } else {
                reference = nil
                monitoringIssue =
                    "reference.csv has \(table.header.count) columns (\(Self.list(table.header))) but the model takes \(names.count) features (\(Self.list(names))); "
                    + "name the features in vigil.json \"features\", or list the other columns in \"ignore_columns\""
            }
        }
        if let table = reference, table.header != model.signature.featureNames {
            if Set(model.signature.featureNames).isSubset(of: table.header) {
                reference = table.selecting(columns: model.signature.featureNames)
            } else {
                reference = nil
                monitoringIssue =
                    "reference.csv lacks the model's features \(Self.list(model.signature.featureNames.filter { !table.header.contains($0) }))"
            }
        }
        return LoadedModel(
            name: name, version: version, format: format, model: model, configuration: configuration, reference: reference,
            monitoringIssue: monitoringIssue)
    }

    /// Reference columns that are never features: `ignore_columns`, and the label and output
    /// columns a training sample often keeps (`target`, `prediction`, as Evidently's column mapping names them) unless declared.
    public static func ignoredColumns(_ configuration: ModelConfiguration) -> Set<String> {
        let declared = Set((configuration.features ?? []).map(\.name))
        return Set(configuration.ignoreColumns ?? []).union(nonFeatureColumns.subtracting(declared))
    }

    /// Column names that are not features unless `vigil.json` says they are.
    public static let nonFeatureColumns: Set<String> = ["target", "prediction"]

    private static func parse(_ format: ModelFormat, _ bytes: [UInt8], features: [Feature]?) throws(ModelError) -> any InferenceModel {
        switch format {
        case .native: try LinearModel.parse(json: bytes, features: features)
        case .xgboost: try XGBoostModel.parse(json: bytes, features: features)
        case .lightgbm: try LightGBMModel.parse(text: bytes, features: features)
        case .onnx: try ONNXModel.parse(bytes: bytes, features: features)
        }
    }

    private static func list(_ names: [String]) -> String {
        names.count <= 6 ? names.joined(separator: ", ") : names.prefix(5).joined(separator: ", ") + ", … \(names.count - 5) more"
    }

    /// Features from `vigil.json`, else from the reference header with kinds inferred from its values; nil leaves them to the model file.
    public func resolveFeatures(configuration: ModelConfiguration, reference: CSVTable?) throws(ModelError) -> [Feature]? {
        if let declared = configuration.features {
            return try declared.map { (declaration) throws(ModelError) -> Feature in
                if let kind = declaration.type { return Feature(name: declaration.name, kind: kind) }
                guard let reference, let column = reference.header.firstIndex(of: declaration.name) else {
                    return Feature(name: declaration.name, kind: .numeric)
                }
                return Feature(name: declaration.name, kind: Self.inferKind(reference.column(column)))
            }
        }
        guard let reference else { return nil }
        return reference.header.enumerated().map { index, name in
            Feature(name: name, kind: Self.inferKind(reference.column(index)))
        }
    }

    /// A column is numeric when every non-empty value parses as a number.
    static func inferKind(_ values: [String]) -> FeatureKind {
        for value in values where !value.isEmpty && DecimalText.double(value.trimmingSpaces()) == nil {
            return .categorical
        }
        return .numeric
    }

    private func read(_ url: URL) throws(ModelError) -> [UInt8] {
        try CompressedFile.read(url, limit: maximumFileSize)
    }

    static func findModelFile(in directory: URL) -> (ModelFormat, URL)? {
        for format in ModelFormat.allCases {
            if let file = firstFile(named: format.fileName, in: [directory]) { return (format, file) }
        }
        return nil
    }

    static func firstFile(named name: String, in directories: [URL]) -> URL? {
        for directory in directories {
            for candidate in [name, name + ".gz"] {
                let url = directory.appendingPathComponent(candidate)
                if FileManager.default.fileExists(atPath: url.path) { return url }
            }
        }
        return nil
    }
}
