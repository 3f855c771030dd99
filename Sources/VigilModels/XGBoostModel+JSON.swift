import FoundationEssentials

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The parts of XGBoost's JSON model that prediction needs.
struct XGBoostFile: Decodable {
    struct Learner: Decodable {
        var feature_names: [String]?
        var feature_types: [String]?
        var gradient_booster: Booster
        var learner_model_param: Parameters
        var objective: Objective
    }

    struct Booster: Decodable {
        var name: String
        var model: TreeModel?
    }

    struct TreeModel: Decodable {
        var tree_info: [Int]
        var trees: [Tree]
        /// XGBoost ≥ 3.1: the category names of each feature trained on a pandas `category` column.
        var cats: Categories?
    }

    /// `cats.enc`: per feature, the UTF-8 bytes of its category names and the offsets between them;
    /// a category's code is its position. Features with numeric categories or none have no offsets.
    struct Categories: Decodable {
        struct Encoding: Decodable {
            var offsets: [Int]?
            var values: [Int]?
        }

        var enc: [Encoding]?

        /// Per feature index, its category names in code order, for features that have string ones.
        func names() throws(ModelError) -> [Int: [String]] {
            var result: [Int: [String]] = [:]
            for (feature, encoding) in (enc ?? []).enumerated() {
                guard let offsets = encoding.offsets, offsets.count > 1, let values = encoding.values else { continue }
                var names: [String] = []
                for index in 0..<(offsets.count - 1) {
                    let start = offsets[index]
                    let end = offsets[index + 1]
                    guard start >= 0, start <= end, end <= values.count, values[start..<end].allSatisfy({ (0...255).contains($0) }) else {
                        throw ModelError(.invalidModel, "model.xgb.json: the category names of feature \(feature) have bad offsets")
                    }
                    names.append(String(decoding: values[start..<end].map { UInt8($0) }, as: UTF8.self))
                }
                result[feature] = names
            }
            return result
        }
    }

    struct Tree: Decodable {
        var left_children: [Int32]
        var right_children: [Int32]
        var split_indices: [Int32]
        var split_conditions: [Float]
        var default_left: [Int]
        var split_type: [Int]?
        var categories: [Int]?
        var categories_nodes: [Int]?
        var categories_segments: [Int]?
        var categories_sizes: [Int]?
    }

    struct Parameters: Decodable {
        var base_score: String
        var num_class: String
        var num_feature: String
    }

    struct Objective: Decodable {
        var name: String
    }

    var learner: Learner
}

extension XGBoostModel {
    /// Parses `model.xgb.json`. `features` (from `vigil.json` or the reference header) name the columns.
    public static func parse(json data: [UInt8], features override: [Feature]?) throws(ModelError) -> XGBoostModel {
        let file: XGBoostFile
        do {
            file = try JSONDecoder().decode(XGBoostFile.self, from: Data(data))
        } catch {
            throw ModelError(.invalidModel, "model.xgb.json is not an XGBoost JSON model: \(readableDescription(of: error))")
        }
        let learner = file.learner
        guard let objective = Objective(rawValue: learner.objective.name) else {
            let known = Objective.allCases.map(\.rawValue).joined(separator: ", ")
            throw ModelError(.unsupported, "XGBoost objective '\(learner.objective.name)' is not supported; supported: \(known)")
        }
        guard learner.gradient_booster.name == "gbtree", let treeModel = learner.gradient_booster.model else {
            throw ModelError(
                .unsupported, "XGBoost booster '\(learner.gradient_booster.name)' is not supported; train with booster='gbtree'")
        }
        let featureCount = Int(learner.learner_model_param.num_feature) ?? 0
        let classCount = Int(learner.learner_model_param.num_class) ?? 0
        let groups = objective == .multiSoftprob || objective == .multiSoftmax ? max(classCount, 1) : 1
        let baseScores = try parseBaseScore(learner.learner_model_param.base_score)
        let baseMargins: [Double] = (0..<groups).map { group in
            let score = baseScores.count == groups ? baseScores[group] : (baseScores.first ?? 0.5)
            switch objective {
            case .binaryLogistic, .regLogistic: return log(score / (1 - score))
            case .poisson: return log(score)
            case .squaredError, .multiSoftprob, .multiSoftmax: return score
            }
        }
        let trees = try treeModel.trees.enumerated().map { (index, tree) throws(ModelError) -> XGBoostModel.Tree in
            try convert(tree, index: index, featureCount: featureCount)
        }
        guard treeModel.tree_info.count == trees.count, treeModel.tree_info.allSatisfy({ $0 >= 0 && $0 < groups }) else {
            throw ModelError(.invalidModel, "model.xgb.json: tree_info does not match the trees and classes")
        }
        var features = try Feature.resolve(
            override: override, fileNames: learner.feature_names, count: featureCount, file: "model.xgb.json")
        // Features trained on pandas categories of strings take their names, mapped to codes by position.
        let categoryNames = try treeModel.cats?.names() ?? [:]
        var categoryCodes: [Int: [String: Double]] = [:]
        for (index, names) in categoryNames where index < featureCount {
            features[index] = features[index].asText(categories: names)
            categoryCodes[index] = Dictionary(names.enumerated().map { ($1, Double($0)) }, uniquingKeysWith: { first, _ in first })
        }
        let task: ModelTask
        switch objective {
        case .binaryLogistic: task = .classification(classes: .integers([0, 1]))
        case .multiSoftprob, .multiSoftmax: task = .classification(classes: .integers((0..<Int64(groups)).map { $0 }))
        case .squaredError, .regLogistic, .poisson: task = .regression(targets: 1)
        }
        let signature = ModelSignature(features: features, task: task, inputDatatype: .fp32, acceptsMissingValues: true)
        return XGBoostModel(
            signature: signature, objective: objective, trees: trees, treeGroups: treeModel.tree_info, baseMargins: baseMargins,
            categoryCodes: categoryCodes)
    }

    /// `base_score` as a number, or (XGBoost ≥ 3.1) a bracketed list with one value per output.
    static func parseBaseScore(_ text: String) throws(ModelError) -> [Double] {
        let trimmed = text.trimming { "[] ".contains($0) }
        let values = trimmed.split(separator: ",").compactMap { Double($0.trimmingWhitespace()) }
        guard !values.isEmpty else { throw ModelError(.invalidModel, "model.xgb.json: base_score '\(text)' is not a number") }
        return values
    }

    private static func convert(_ tree: XGBoostFile.Tree, index: Int, featureCount: Int) throws(ModelError) -> XGBoostModel.Tree {
        let nodes = tree.left_children.count
        guard nodes > 0, tree.right_children.count == nodes, tree.split_indices.count == nodes, tree.split_conditions.count == nodes,
            tree.default_left.count == nodes
        else { throw ModelError(.invalidModel, "model.xgb.json: tree \(index) has arrays of different lengths") }
        for node in 0..<nodes where tree.left_children[node] >= 0 {
            let children = [tree.left_children[node], tree.right_children[node]]
            // XGBoost numbers a node's children after it; a child at or before its parent would loop for ever.
            guard children.allSatisfy({ Int($0) > node && Int($0) < nodes }), Int(tree.split_indices[node]) < featureCount,
                tree.split_indices[node] >= 0
            else {
                throw ModelError(
                    .invalidModel, "model.xgb.json: tree \(index) node \(node) points outside the tree or the features, or back up it")
            }
        }
        var categories = [Set<Int>?](repeating: nil, count: nodes)
        if let categoryNodes = tree.categories_nodes, let segments = tree.categories_segments, let sizes = tree.categories_sizes,
            let values = tree.categories
        {
            for (k, node) in categoryNodes.enumerated() where k < segments.count && k < sizes.count {
                let start = segments[k]
                let size = sizes[k]
                // Checked without adding, so neither a negative size nor an overflowing one can trap.
                guard node >= 0, node < nodes, start >= 0, size >= 0, start <= values.count, size <= values.count - start else {
                    throw ModelError(.invalidModel, "model.xgb.json: tree \(index) has bad category segments")
                }
                categories[node] = Set(values[start..<start + size])
            }
        }
        return XGBoostModel.Tree(
            left: tree.left_children, right: tree.right_children, feature: tree.split_indices,
            threshold: tree.split_conditions, defaultLeft: tree.default_left.map { $0 != 0 }, categories: categories)
    }
}
