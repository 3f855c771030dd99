import FoundationEssentials

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A gradient-boosted tree ensemble in XGBoost's JSON format (`Booster.save_model("model.json")`).
///
/// Trees are flattened into arrays once at load. A row walks each tree from the root: a NaN goes to
/// the node's default side; a categorical split sends the categories listed for the node right and
/// all others left; a numeric split goes left when `x < threshold`, compared in FP32 as XGBoost
/// does. Features trained on pandas categories of strings take their names, coded by position in the
/// model's `cats`. Leaf values add up per output group on top of the base margin, then the objective's
/// transform applies (sigmoid, softmax, exp or identity).
public struct XGBoostModel: InferenceModel {
    public enum Objective: String, Sendable, CaseIterable {
        case binaryLogistic = "binary:logistic"
        case multiSoftprob = "multi:softprob"
        case multiSoftmax = "multi:softmax"
        case squaredError = "reg:squarederror"
        case regLogistic = "reg:logistic"
        case poisson = "count:poisson"
    }

    public let signature: ModelSignature
    public let objective: Objective
    /// The trees, walked one row at a time; empty when `ensemble` holds them instead.
    let trees: [Tree]
    /// The group (class) each tree adds to.
    let treeGroups: [Int]
    /// The base margin per group.
    let baseMargins: [Double]
    /// For each text feature (by index), the code of each category name: its position in the model's `cats`.
    let categoryCodes: [Int: [String: Double]]
    /// The trees compiled to the engine's flat ensemble (with its vector walk for batches), when no
    /// node splits on categories; nil otherwise, and the trees are walked one row at a time.
    let ensemble: ONNXTreeEnsemble?

    init(
        signature: ModelSignature, objective: Objective, trees: [Tree], treeGroups: [Int], baseMargins: [Double],
        categoryCodes: [Int: [String: Double]]
    ) {
        self.signature = signature
        self.objective = objective
        self.treeGroups = treeGroups
        self.baseMargins = baseMargins
        self.categoryCodes = categoryCodes
        let ensemble = Self.ensemble(trees, groups: treeGroups, groupCount: baseMargins.count)
        self.ensemble = ensemble
        // Only one form is kept: the ensemble holds every node again.
        self.trees = ensemble == nil ? trees : []
    }

    /// The numeric trees as one ensemble of `<=` nodes on float rows. XGBoost goes left when
    /// `Float(x) < t`, which for floats is `Float(x) <= t.nextDown`; a missing value goes left where
    /// `default_left` says so; leaves are summed in FP32 per group in tree order, as here. Nil for
    /// categorical splits, for thresholds (-∞, NaN) where the rewrite would not hold, and for trees
    /// the ensemble refuses.
    private static func ensemble(_ trees: [Tree], groups: [Int], groupCount: Int) -> ONNXTreeEnsemble? {
        guard trees.count == groups.count, groups.allSatisfy({ $0 >= 0 && $0 < groupCount }) else { return nil }
        var nodes: [ONNXTreeEnsemble.Node] = []
        var roots: [Int32] = []
        var targets: [Int32] = []
        var weights: [Double] = []
        for (tree, group) in zip(trees, groups) {
            let offset = Int32(nodes.count)
            roots.append(offset)
            for node in tree.left.indices {
                if tree.categories[node] != nil { return nil }
                if tree.left[node] < 0 {
                    let start = Int32(weights.count)
                    targets.append(Int32(group))
                    weights.append(Double(tree.threshold[node]))
                    nodes.append(
                        .init(threshold: 0, feature: 0, trueChild: start, falseChild: start + 1, mode: .leaf, missingTracksTrue: false))
                } else {
                    let threshold = tree.threshold[node]
                    guard !threshold.isNaN, threshold != -.infinity else { return nil }
                    nodes.append(
                        .init(
                            threshold: Double(threshold.nextDown), feature: tree.feature[node], trueChild: tree.left[node] + offset,
                            falseChild: tree.right[node] + offset, mode: .lessOrEqual, missingTracksTrue: tree.defaultLeft[node]))
                }
            }
        }
        return try? ONNXTreeEnsemble(
            nodes: nodes, roots: roots, weightTargets: targets, weightValues: weights, memberSets: [:],
            targetCount: groupCount, aggregate: .sum, error: { ModelError(.invalidModel, "model.xgb.json: \($0)") })
    }

    struct Tree: Sendable {
        var left: [Int32]
        var right: [Int32]
        var feature: [Int32]
        var threshold: [Float]
        var defaultLeft: [Bool]
        /// For categorical nodes, the categories sent right; nil for numeric nodes.
        var categories: [Set<Int>?]

        func leaf(for row: UnsafeBufferPointer<Double>) -> Float {
            var node = 0
            while left[node] >= 0 {
                let value = row[Int(feature[node])]
                if value.isNaN {
                    node = Int(defaultLeft[node] ? left[node] : right[node])
                } else if let set = categories[node] {
                    // A code that is not a category (negative, fractional, huge) goes left, as in xgboost.
                    let code = value >= 0 && value < 2_147_483_648 ? Int(value) : -1
                    node = Int(set.contains(code) ? right[node] : left[node])
                } else {
                    node = Int(Float(value) < threshold[node] ? left[node] : right[node])
                }
            }
            return threshold[node]
        }
    }

    public func predict(_ batch: FeatureBatch) throws(ModelError) -> Prediction {
        let width = signature.features.count
        try batch.requireFeatures(signature.features)
        let groups = baseMargins.count
        // Category names become their codes; an unknown one is missing, as xgboost's re-coding makes it.
        let rows = batch.encodingTexts(categoryCodes)
        var margins = [Double](repeating: 0, count: batch.rowCount * groups)
        if let ensemble {
            let sums = try ensemble.scores(
                ONNXTensor(shape: [batch.rowCount, width], floats: transformed(rows) { Float($0) }), as: Float.self
            ).scores
            for index in margins.indices { margins[index] = baseMargins[index % groups] + Double(sums[index]) }
            return transform(margins, rows: batch.rowCount)
        }
        // XGBoost sums leaves in FP32; one buffer serves every row.
        var sums = [Float](repeating: 0, count: groups)
        rows.withUnsafeBufferPointer { values in
            for row in 0..<batch.rowCount {
                let features = UnsafeBufferPointer(rebasing: values[row * width..<(row + 1) * width])
                for group in 0..<groups { sums[group] = 0 }
                for (tree, group) in zip(trees, treeGroups) { sums[group] += tree.leaf(for: features) }
                for group in 0..<groups { margins[row * groups + group] = baseMargins[group] + Double(sums[group]) }
            }
        }
        return transform(margins, rows: batch.rowCount)
    }

    private func transform(_ margins: [Double], rows: Int) -> Prediction {
        switch objective {
        case .squaredError:
            return .regression(values: margins, targets: 1)
        case .regLogistic:
            return .regression(values: margins.map { 1 / (1 + exp(-$0)) }, targets: 1)
        case .poisson:
            return .regression(values: margins.map { exp($0) }, targets: 1)
        case .binaryLogistic:
            return .binary(margins: margins)
        case .multiSoftprob, .multiSoftmax:
            return .softmax(scores: margins, classes: baseMargins.count)
        }
    }
}
