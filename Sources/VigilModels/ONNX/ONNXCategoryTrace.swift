internal import SwiftProtobuf

/// Which categories a graph knows for each of its text features, found by following each text
/// column through the nodes that move columns around (Identity, Cast, Reshape, Concat, Gather,
/// ArrayFeatureExtractor, Where, a string LabelEncoder) to the encoder that reads it alone:
/// a `OneHotEncoder` or `CategoryMapper` (`cats_strings`), or a `LabelEncoder` from strings to codes.
enum ONNXCategoryTrace {
    /// `textColumns` maps each text input's name to the feature index of each of its columns.
    static func categories(_ graph: Onnx_GraphProto, textColumns: [String: [Int]]) -> [Int: [String]] {
        // For each value, the feature behind each of its last-axis columns (nil where unknown).
        var columns: [String: [Int?]] = textColumns.mapValues { $0.map { Optional($0) } }
        var constants: [String: [Int64]] = [:]
        for initializer in graph.initializer {
            if let tensor = try? ONNXTensor(proto: initializer, context: "initializer"), case .int64(let values) = tensor.elements {
                constants[initializer.name] = values
            }
        }
        var found: [Int: [String]] = [:]
        var fromLabelEncoder: [Int: [String]] = [:]
        for node in graph.node {
            let attributes = Dictionary(node.attribute.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            func strings(_ name: String) -> [String]? {
                attributes[name].map { $0.strings.map { String(decoding: $0, as: UTF8.self) } }
            }
            let first = node.input.first.flatMap { columns[$0] }
            let single: Int? = first.flatMap { sources in
                guard let feature = sources.first ?? nil, sources.allSatisfy({ $0 == feature }) else { return nil }
                return feature
            }
            var passes: [Int?]?
            switch node.opType {
            case "Identity", "Cast", "Reshape", "Squeeze", "Unsqueeze", "Flatten":
                // Only a single column keeps its meaning through a reshape.
                if let first, first.count == 1 { passes = first }
            case "Concat":
                let parts = node.input.map { columns[$0] }
                if parts.allSatisfy({ $0 != nil }) { passes = parts.flatMap { $0 ?? [] } }
            case "Gather", "ArrayFeatureExtractor":
                if let first, node.input.count > 1, let indices = constants[node.input[1]] {
                    passes = indices.map { $0 >= 0 && Int($0) < first.count ? first[Int($0)] : nil }
                }
            case "Where":
                if node.input.count > 2 { passes = columns[node.input[2]] }
            case "LabelEncoder":
                if let keys = strings("keys_strings"), let single {
                    let named = keys.filter { !$0.isEmpty }
                    if !named.isEmpty, fromLabelEncoder[single] == nil { fromLabelEncoder[single] = named }
                    if strings("values_strings") != nil { passes = first }
                }
            case "OneHotEncoder", "CategoryMapper":
                if let single, let categories = strings("cats_strings"), !categories.isEmpty, found[single] == nil {
                    found[single] = categories
                }
            default:
                break
            }
            if let passes, let output = node.output.first { columns[output] = passes }
        }
        return fromLabelEncoder.merging(found) { _, encoder in encoder }
    }
}
