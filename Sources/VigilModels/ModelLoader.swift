public import Foundation

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
        if let file = Self.firstFile(named: "reference.csv", in: searchPath) {
            let table = try CSVTable(parsing: try read(file))
            let ignored = Set(configuration.ignoreColumns ?? [])
            reference = table.selecting(columns: table.header.filter { !ignored.contains($0) })
        }
        let features = try resolveFeatures(configuration: configuration, reference: reference)
        let model: any InferenceModel
        switch format {
        case .native:
            model = try LinearModel.parse(json: try read(modelFile), features: features)
        case .xgboost:
            model = try XGBoostModel.parse(json: try read(modelFile), features: features)
        case .lightgbm:
            model = try LightGBMModel.parse(text: try read(modelFile), features: features)
        case .onnx:
            model = try ONNXModel.parse(bytes: try read(modelFile), features: features)
        }
        if let table = reference, let features, table.header != features.map(\.name) {
            reference = table.selecting(columns: features.map(\.name))
        }
        if let reference, reference.header.count != model.signature.features.count {
            throw ModelError(.invalidModel, "reference.csv has \(reference.header.count) columns but the model takes \(model.signature.features.count) features; list non-input columns in vigil.json \"ignore_columns\"")
        }
        return LoadedModel(name: name, version: version, format: format, model: model, configuration: configuration, reference: reference)
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
        for value in values where !value.isEmpty && Double(value.trimmingSpaces()) == nil {
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
