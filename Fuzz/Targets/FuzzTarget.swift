import FoundationEssentials
import NIOCore
import VigilModels
import VigilMonitor
import VigilServer
import VigilStore

/// The parsers and decoders the fuzzer drives, each from raw bytes: errors are expected answers,
/// crashes, hangs and runaway memory are findings. `tools/fuzz.sh` runs them under libFuzzer;
/// `Fuzz/Regressions/<target>/` keeps every input that once crashed, replayed by the tests.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// A V2 infer body (JSON) for a model with numeric and text features, then predicted and logged.
    case v2
    /// A V2 infer body in Triton's binary form: the first two bytes give the JSON header's length.
    case v2binary
    /// A V1 `:predict` body, then predicted and logged.
    case v1
    /// `model.onnx`, then a prediction on a row of zeros.
    case onnx
    /// `model.xgb.json`, then a prediction on a row of zeros.
    case xgboost
    /// `model.lgb.txt`, then a prediction on a row of zeros.
    case lightgbm
    /// `reference.csv`, then its profile.
    case csv
    /// `vigil.json`.
    case config
    /// A body read as V2 and as V1 by the lean reader and by Foundation: where the lean reader
    /// reads it, the two readings must be the same (a difference stops the run).
    case json

    /// Runs one input through the target.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .v2:
            request { try RequestDecoding.inferenceBatch(ByteBuffer(bytes: bytes), binaryHeader: nil, signature: Self.shop.signature) }
        case .v2binary:
            guard bytes.count >= 2 else { return }
            let headerLength = Int(bytes[0]) << 8 | Int(bytes[1])
            request {
                try RequestDecoding.inferenceBatch(
                    ByteBuffer(bytes: bytes.dropFirst(2)), binaryHeader: String(headerLength), signature: Self.shop.signature)
            }
        case .v1:
            request { try RequestDecoding.predictBatch(ByteBuffer(bytes: bytes), signature: Self.shop.signature) }
        case .onnx:
            model { try ONNXModel.parse(bytes: bytes, features: nil) }
        case .xgboost:
            model { try XGBoostModel.parse(json: bytes, features: nil) }
        case .lightgbm:
            model { try LightGBMModel.parse(text: bytes, features: nil) }
        case .csv:
            guard let table = try? CSVTable(parsing: bytes), !table.header.isEmpty else { return }
            let features = table.header.map { Feature(name: $0, kind: .categorical) }
            _ = ReferenceProfile.build(model: "fuzz", features: features, configuration: ModelConfiguration(), table: table)
        case .config:
            _ = try? ModelConfiguration.parse(bytes)
        case .json:
            if let difference = RequestDecoding.scannerDisagreement(ByteBuffer(bytes: bytes)) {
                fatalError("the lean JSON reader and Foundation disagree:\n\(difference)")
            }
        }
    }

    /// The example pipeline with numeric and string inputs, from the repository's `models/`.
    static let shop: LoadedModel = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("models/shop-purchases")
        do {
            return try ModelLoader().load(name: "shop", version: 1, directory: folder, modelDirectory: folder)
        } catch {
            fatalError("the fuzzer needs models/shop-purchases: \(error)")
        }
    }()

    static let accumulator: FeatureAccumulator? = ReferenceProfile.build(from: shop).map {
        FeatureAccumulator(profile: $0, configuration: FeatureLogConfiguration())
    }

    /// Decodes a request; a batch that decodes is predicted and logged, as the route does.
    private func request(_ decode: () throws -> FeatureBatch) {
        guard let batch = try? decode() else { return }
        guard let prediction = try? Self.shop.model.predict(batch) else { return }
        Self.accumulator?.record(batch, prediction: prediction, signature: Self.shop.signature, at: 0)
        _ = Self.accumulator?.drain()
    }

    /// Parses a model file; a model that parses predicts a row of zeros (text features: "a").
    private func model(_ parse: () throws -> any InferenceModel) {
        guard let model = try? parse() else { return }
        let features = model.signature.features
        guard features.count <= 10_000 else { return }
        var texts: [Int: [String?]] = [:]
        for (index, feature) in features.enumerated() where feature.takesText { texts[index] = ["a"] }
        _ = try? model.predict(
            FeatureBatch(rowCount: 1, featureCount: features.count, values: .init(repeating: 0, count: features.count), texts: texts))
    }
}
