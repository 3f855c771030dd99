/// The file formats a model folder can hold, by the file name that marks each.
public enum ModelFormat: String, Sendable, CaseIterable {
    case native = "vigil-linear"
    case onnx
    case xgboost
    case lightgbm

    /// The model file name in a folder; each may also be gzipped (`.gz`).
    public var fileName: String {
        switch self {
        case .native: "model.json"
        case .onnx: "model.onnx"
        case .xgboost: "model.xgb.json"
        case .lightgbm: "model.lgb.txt"
        }
    }
}
