import FoundationEssentials

extension LightGBMModel {
    /// Parses `model.lgb.txt`. `features` (from `vigil.json` or the reference header) name the columns.
    public static func parse(text bytes: [UInt8], features override: [Feature]?) throws(ModelError) -> LightGBMModel {
        let text = String(decoding: bytes, as: UTF8.self)
        let blocks = pieces(of: bytes, separatedBy: Array("\nTree=".utf8))
        guard let headerBlock = blocks.first, headerBlock.hasPrefix("tree") else {
            throw ModelError(.invalidModel, "model.lgb.txt is not a LightGBM text model: it does not start with 'tree'")
        }
        let header = keyValues(headerBlock)
        guard let maxFeature = header["max_feature_idx"].flatMap({ Int($0) }),
            let perIteration = header["num_tree_per_iteration"].flatMap({ Int($0) }), perIteration >= 1
        else { throw ModelError(.invalidModel, "model.lgb.txt lacks max_feature_idx or num_tree_per_iteration") }
        let featureCount = maxFeature + 1
        let objective = header["objective"] ?? "regression"
        let (transform, task) = try objectiveTransform(objective, classes: Int(header["num_class"] ?? "1") ?? 1)
        var trees: [Tree] = []
        for (index, block) in blocks.dropFirst().enumerated() {
            // The last tree block also holds the footer.
            let body = pieces(of: Array(block.utf8), separatedBy: Array("\nend of trees".utf8))[0]
            trees.append(try tree(keyValues(body), index: index, featureCount: featureCount))
        }
        guard !trees.isEmpty, trees.count % perIteration == 0 else {
            throw ModelError(
                .invalidModel, "model.lgb.txt has \(trees.count) trees, not a multiple of num_tree_per_iteration=\(perIteration)")
        }
        let names = header["feature_names"]?.split(separator: " ").map(String.init)
        var features = try Feature.resolve(override: override, fileNames: names, count: featureCount, file: "model.lgb.txt")
        // pandas_categorical lists the category names of the categorical features, in feature order.
        var categoryCodes: [Int: [String: Double]] = [:]
        let categorical = parameter("categorical_feature", in: text)
            .split(separator: ",").compactMap { Int($0.trimmingWhitespace()) }.filter { $0 >= 0 && $0 < featureCount }
        for (index, names) in zip(categorical, try pandasCategorical(text)) where !names.isEmpty {
            features[index] = features[index].asText(categories: names)
            categoryCodes[index] = Dictionary(names.enumerated().map { ($1, Double($0)) }, uniquingKeysWith: { first, _ in first })
        }
        let signature = ModelSignature(features: features, task: task, inputDatatype: .fp64, acceptsMissingValues: true)
        // `average_output` is a bare line in random-forest models.
        let averages = headerBlock.split(separator: "\n").contains { $0.trimmingWhitespace() == "average_output" }
        return LightGBMModel(
            signature: signature, transform: transform, trees: trees, treesPerIteration: perIteration, averageOutput: averages,
            categoryCodes: categoryCodes)
    }

    /// A `[name: value]` line of the parameters block.
    static func parameter(_ name: String, in text: String) -> String {
        let prefix = "[\(name): "
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return "" }
        return String(line.dropFirst(prefix.count).prefix { $0 != "]" })
    }

    /// The last line's `pandas_categorical:[[...], ...]`: for each categorical feature, its category
    /// names in code order. Features with numeric categories give no names.
    static func pandasCategorical(_ text: String) throws(ModelError) -> [[String]] {
        let prefix = "pandas_categorical:"
        guard let found = text.split(separator: "\n").last(where: { $0.hasPrefix(prefix) }) else { return [] }
        let line = found.dropFirst(prefix.count)
        guard line != "null" else { return [] }
        let lists: [[PandasCategory]]
        do {
            lists = try JSONDecoder().decode([[PandasCategory]].self, from: Data(line.utf8))
        } catch {
            throw ModelError(
                .invalidModel, "model.lgb.txt: pandas_categorical is not a JSON list of lists: \(readableDescription(of: error))")
        }
        return lists.map { list in list.compactMap(\.name) }
    }

    /// One category of a pandas column: a name, or a number (numeric categories are their own codes).
    private enum PandasCategory: Decodable {
        case name(String)
        case number

        var name: String? { if case .name(let text) = self { text } else { nil } }

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .name(text)
            } else {
                _ = try container.decode(Double.self)
                self = .number
            }
        }
    }

    /// `key=value` lines of a block.
    static func keyValues(_ block: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in block.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals]).trimmingWhitespace()] = String(line[line.index(after: equals)...]).trimmingWhitespace()
        }
        return values
    }

    static func objectiveTransform(_ objective: String, classes: Int) throws(ModelError) -> (Transform, ModelTask) {
        let parts = objective.split(separator: " ")
        let name = parts.first.map(String.init) ?? "regression"
        let sigmoid = parts.first { $0.hasPrefix("sigmoid:") }.flatMap { Double($0.dropFirst("sigmoid:".count)) } ?? 1
        let labels = ClassLabels.integers((0..<Int64(max(classes, 2))).map { $0 })
        switch name {
        case "binary": return (.sigmoid(sigmoid), .classification(classes: .integers([0, 1])))
        case "multiclass", "softmax": return (.softmax, .classification(classes: labels))
        case "multiclassova", "multiclass_ova", "ova", "ovr": return (.ovaSigmoid(sigmoid), .classification(classes: labels))
        case "regression", "regression_l2", "regression_l1", "l1", "l2", "mse", "mae", "huber", "fair", "quantile", "mape":
            return (.identity, .regression(targets: 1))
        case "poisson", "gamma", "tweedie": return (.exponential, .regression(targets: 1))
        case "cross_entropy", "xentropy": return (.sigmoid(1), .regression(targets: 1))
        default: throw ModelError(.unsupported, "LightGBM objective '\(objective)' is not supported")
        }
    }

    private static func tree(_ values: [String: String], index: Int, featureCount: Int) throws(ModelError) -> Tree {
        func numbers<T: LosslessStringConvertible>(_ key: String, _: T.Type) -> [T] {
            (values[key] ?? "").split(separator: " ").compactMap { T(String($0)) }
        }
        guard let leaves = values["num_leaves"].flatMap({ Int($0) }), leaves >= 1 else {
            throw ModelError(.invalidModel, "model.lgb.txt: tree \(index) has no num_leaves")
        }
        if values["is_linear"] == "1" {
            throw ModelError(.unsupported, "model.lgb.txt: tree \(index) is a linear tree (linear_tree=True), which is not supported")
        }
        let leafValue = numbers("leaf_value", Double.self)
        guard leafValue.count == leaves else {
            throw ModelError(.invalidModel, "model.lgb.txt: tree \(index) has \(leafValue.count) leaf values for \(leaves) leaves")
        }
        if leaves == 1 {
            return Tree(
                splitFeature: [], threshold: [], decisionType: [], left: [], right: [], leafValue: leafValue, categoryBoundaries: [],
                categoryBits: [])
        }
        let tree = Tree(
            splitFeature: numbers("split_feature", Int32.self), threshold: numbers("threshold", Double.self),
            decisionType: numbers("decision_type", Int.self).map { UInt8(truncatingIfNeeded: $0) },
            left: numbers("left_child", Int32.self), right: numbers("right_child", Int32.self), leafValue: leafValue,
            categoryBoundaries: numbers("cat_boundaries", Int.self), categoryBits: numbers("cat_threshold", UInt32.self))
        let splits = leaves - 1
        guard
            [tree.splitFeature.count, tree.threshold.count, tree.decisionType.count, tree.left.count, tree.right.count].allSatisfy({
                $0 == splits
            })
        else {
            throw ModelError(.invalidModel, "model.lgb.txt: tree \(index) has split arrays of the wrong length")
        }
        // LightGBM numbers an internal node after its parent; a child at or before its parent would loop for ever.
        for node in 0..<splits {
            guard tree.splitFeature[node] >= 0, Int(tree.splitFeature[node]) < featureCount,
                [tree.left[node], tree.right[node]].allSatisfy({ $0 >= 0 ? Int($0) > node && Int($0) < splits : Int(~$0) < leaves })
            else {
                throw ModelError(
                    .invalidModel, "model.lgb.txt: tree \(index) node \(node) points outside the tree or the features, or back up it")
            }
        }
        // A categorical split's threshold names a set in cat_boundaries, whose words are in cat_threshold.
        let boundaries = tree.categoryBoundaries
        guard zip(boundaries, boundaries.dropFirst()).allSatisfy({ $0 >= 0 && $0 <= $1 }), (boundaries.last ?? 0) <= tree.categoryBits.count
        else {
            throw ModelError(.invalidModel, "model.lgb.txt: tree \(index) has cat_boundaries outside cat_threshold")
        }
        for node in 0..<splits where tree.decisionType[node] & 1 == 1 {
            let set = tree.threshold[node]
            guard set >= 0, set.rounded() == set, set + 1 < Double(boundaries.count) else {
                throw ModelError(
                    .invalidModel, "model.lgb.txt: tree \(index) node \(node) names a category set that is not in cat_boundaries")
            }
        }
        return tree
    }
}

extension LightGBMModel {
    /// The text between occurrences of `separator` in `bytes`, first to last (one piece when it does
    /// not occur): `components(separatedBy:)` over bytes. Foundation's generic string search, and
    /// the standard library's `split(separator:)` with a collection separator, each made parsing a
    /// model several times slower than this loop.
    static func pieces(of bytes: [UInt8], separatedBy separator: [UInt8]) -> [String] {
        var pieces: [String] = []
        var start = 0
        var index = 0
        let last = bytes.count - separator.count
        while index <= last {
            if bytes[index] == separator[0] && bytes[index..<(index + separator.count)].elementsEqual(separator) {
                pieces.append(String(decoding: bytes[start..<index], as: UTF8.self))
                index += separator.count
                start = index
            } else {
                index += 1
            }
        }
        pieces.append(String(decoding: bytes[start...], as: UTF8.self))
        return pieces
    }
}
