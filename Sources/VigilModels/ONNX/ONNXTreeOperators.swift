/// Compiles the node lists of `TreeEnsembleRegressor` and `TreeEnsembleClassifier` (ai.onnx.ml ≤ 3),
/// where nodes are named by (tree id, node id) and leaf weights by the same pair.
private func compileClassicTrees(
    _ node: ONNXNode, weightPrefix: String, targetIDs: [Int64], targetCount: Int,
    aggregate: ONNXTreeEnsemble.Aggregate
) throws(ModelError) -> ONNXTreeEnsemble {
    let treeIDs = try node.requiredInts("nodes_treeids")
    let nodeIDs = try node.requiredInts("nodes_nodeids")
    let features = try node.requiredInts("nodes_featureids")
    let modes = node.strings("nodes_modes") ?? []
    let trueIDs = try node.requiredInts("nodes_truenodeids")
    let falseIDs = try node.requiredInts("nodes_falsenodeids")
    let thresholds = try node.reals("nodes_values") ?? []
    let missing = node.ints("nodes_missing_value_tracks_true") ?? []
    let count = treeIDs.count
    guard nodeIDs.count == count, features.count == count, modes.count == count, trueIDs.count == count, falseIDs.count == count,
        thresholds.count == count, missing.isEmpty || missing.count == count
    else { throw node.error("the nodes_* attributes differ in length") }

    struct Key: Hashable { let tree: Int64, node: Int64 }
    var indexOf: [Key: Int] = [:]
    var roots: [Int32] = []
    var lastTree: Int64?
    for i in 0..<count {
        let key = Key(tree: treeIDs[i], node: nodeIDs[i])
        guard indexOf[key] == nil else { throw node.error("node \(nodeIDs[i]) of tree \(treeIDs[i]) is listed twice") }
        indexOf[key] = i
        if treeIDs[i] != lastTree {
            roots.append(Int32(i))
            lastTree = treeIDs[i]
        }
    }

    let weightTrees = try node.requiredInts(weightPrefix + "_treeids")
    let weightNodes = try node.requiredInts(weightPrefix + "_nodeids")
    guard let weights = try node.reals(weightPrefix + "_weights") else { throw node.error("missing \(weightPrefix)_weights") }
    guard weightNodes.count == weightTrees.count, weights.count == weightTrees.count, targetIDs.count == weightTrees.count else {
        throw node.error("the \(weightPrefix)_* attributes differ in length")
    }
    var leafWeights = [[(Int32, Double)]](repeating: [], count: count)
    for w in 0..<weightTrees.count {
        guard let leaf = indexOf[Key(tree: weightTrees[w], node: weightNodes[w])] else {
            throw node.error("a weight names node \(weightNodes[w]) of tree \(weightTrees[w]), which does not exist")
        }
        leafWeights[leaf].append((Int32(targetIDs[w]), weights[w]))
    }

    var nodes: [ONNXTreeEnsemble.Node] = []
    nodes.reserveCapacity(count)
    var weightTargets: [Int32] = []
    var weightValues: [Double] = []
    for i in 0..<count {
        let mode: ONNXTreeEnsemble.Mode
        switch modes[i] {
        case "BRANCH_LEQ": mode = .lessOrEqual
        case "BRANCH_LT": mode = .less
        case "BRANCH_GTE": mode = .greaterOrEqual
        case "BRANCH_GT": mode = .greater
        case "BRANCH_EQ": mode = .equal
        case "BRANCH_NEQ": mode = .notEqual
        case "LEAF": mode = .leaf
        default: throw node.error("unknown node mode \(modes[i])")
        }
        if mode == .leaf {
            let start = Int32(weightValues.count)
            for (target, value) in leafWeights[i] {
                weightTargets.append(target)
                weightValues.append(value)
            }
            nodes.append(
                .init(
                    threshold: 0, feature: 0, trueChild: start, falseChild: Int32(weightValues.count), mode: .leaf, missingTracksTrue: false
                ))
        } else {
            guard let trueChild = indexOf[Key(tree: treeIDs[i], node: trueIDs[i])],
                let falseChild = indexOf[Key(tree: treeIDs[i], node: falseIDs[i])]
            else { throw node.error("node \(nodeIDs[i]) of tree \(treeIDs[i]) points to a node that does not exist") }
            nodes.append(
                .init(
                    threshold: thresholds[i], feature: Int32(features[i]), trueChild: Int32(trueChild), falseChild: Int32(falseChild),
                    mode: mode, missingTracksTrue: !missing.isEmpty && missing[i] != 0))
        }
    }
    return try ONNXTreeEnsemble(
        nodes: nodes, roots: roots, weightTargets: weightTargets, weightValues: weightValues, memberSets: [:],
        targetCount: targetCount, aggregate: aggregate, error: node.error)
}

/// TreeEnsembleRegressor (ai.onnx.ml ≤ 3): `n_targets` values per row, plus `base_values`.
struct ONNXTreeEnsembleRegressor: ONNXOperator {
    let trees: ONNXTreeEnsemble
    let baseValues: [Double]
    let postTransform: ONNXPostTransform

    init(node: ONNXNode) throws(ModelError) {
        let targets = try node.int("n_targets", default: 1)
        let aggregate: ONNXTreeEnsemble.Aggregate
        switch try node.string("aggregate_function", default: "SUM") {
        case "SUM": aggregate = .sum
        case "AVERAGE": aggregate = .average
        case "MIN": aggregate = .minimum
        case "MAX": aggregate = .maximum
        case let other: throw node.error("unknown aggregate_function \(other)")
        }
        trees = try compileClassicTrees(
            node, weightPrefix: "target", targetIDs: try node.requiredInts("target_ids"), targetCount: targets, aggregate: aggregate)
        baseValues = try node.reals("base_values") ?? []
        guard baseValues.isEmpty || baseValues.count == targets else {
            throw node.error("has \(baseValues.count) base_values for \(targets) targets")
        }
        postTransform = try ONNXPostTransform(name: try node.string("post_transform", default: "NONE"), node: node)
    }

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        try trees.targetScores(try inputs.required(0), finish, finish)
    }

    private func finish<T: ONNXReal>(_ scores: inout [T], rows: Int) {
        let targets = trees.targetCount
        if !baseValues.isEmpty {
            let base = baseValues.map { T($0) }
            for row in 0..<rows { for t in 0..<targets { scores[row * targets + t] += base[t] } }
        }
        postTransform.apply(&scores, width: targets)
    }
}

/// TreeEnsembleClassifier (ai.onnx.ml ≤ 3): a label and a score per class, following onnxruntime's
/// rules, including its binary form where every weight is for one class.
struct ONNXTreeEnsembleClassifier: ONNXOperator {
    let trees: ONNXTreeEnsemble
    let classes: ClassLabels
    let baseValues: [Double]
    let postTransform: ONNXPostTransform
    /// Two classes and all weights on one class id: the score is for the positive class.
    let binaryCase: Bool
    /// The class id every weight is for, in the binary case.
    let binaryClassID: Int
    let weightsArePositive: Bool

    init(node: ONNXNode) throws(ModelError) {
        classes = try node.classLabels(integers: "classlabels_int64s")
        let classIDs = try node.requiredInts("class_ids")
        trees = try compileClassicTrees(node, weightPrefix: "class", targetIDs: classIDs, targetCount: classes.count, aggregate: .sum)
        baseValues = try node.reals("base_values") ?? []
        postTransform = try ONNXPostTransform(name: try node.string("post_transform", default: "NONE"), node: node)
        binaryCase = classes.count == 2 && Set(classIDs).count == 1
        binaryClassID = Int(classIDs.first ?? 0)
        weightsArePositive = trees.weightValues.allSatisfy { $0 >= 0 }
        guard classes.count >= 2 else { throw node.error("needs at least two class labels") }
    }

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let input = try inputs.required(0)
        if case .double = input.elements {
            let (labels, scores) = try classify(input, as: Double.self)
            return [classes.labelTensor(labels), ONNXTensor(shape: [labels.count, classes.count], doubles: scores)]
        }
        let (labels, scores) = try classify(input, as: Float.self)
        return [classes.labelTensor(labels), ONNXTensor(shape: [labels.count, classes.count], floats: scores)]
    }

    private func classify<T: ONNXReal>(_ input: ONNXTensor, as: T.Type) throws(ModelError) -> ([Int], [T]) {
        let (rows, raw, hasScore) = try trees.scores(input, as: T.self)
        let classCount = classes.count
        var labels = [Int](directRepeating: 0, count: rows)
        var scores = [T](directRepeating: 0, count: rows * classCount)
        for row in 0..<rows {
            let base = row * classCount
            if classCount > 2 || !binaryCase {
                // Every class: base values added, the label the top class that got a score; the
                // transform runs over all rows after the loop.
                let addsBase = baseValues.count == classCount
                var best = -1
                for c in 0..<classCount {
                    scores[base + c] = raw[base + c] + (addsBase ? T(baseValues[c]) : 0)
                    if (addsBase || hasScore[base + c]) && (best < 0 || scores[base + c] > scores[base + best]) { best = c }
                }
                labels[row] = max(best, 0)
            } else {
                // onnxruntime's binary form: one score s for the positive class.
                var s = raw[base + binaryClassID]
                if let first = baseValues.first { s += T(first) }
                if weightsArePositive {
                    labels[row] = s > T(0.5) ? 1 : 0
                    scores[base] = 1 - s
                    scores[base + 1] = s
                } else {
                    labels[row] = s > 0 ? 1 : 0
                    if postTransform == .logistic {
                        scores[base] = ONNXPostTransform.logistic(-s)
                        scores[base + 1] = ONNXPostTransform.logistic(s)
                    } else {
                        scores[base] = -s
                        scores[base + 1] = s
                    }
                }
            }
        }
        if classCount > 2 || !binaryCase { postTransform.apply(&scores, width: classCount) }
        return (labels, scores)
    }
}

/// TreeEnsemble (ai.onnx.ml opset 5): interior nodes and leaves in separate lists, node modes as a
/// uint8 tensor (LEQ, LT, GTE, GT, EQ, NEQ, MEMBER) and set members in `membership_values`.
struct ONNXTreeEnsembleV5: ONNXOperator {
    let trees: ONNXTreeEnsemble
    let postTransform: ONNXPostTransform

    init(node: ONNXNode) throws(ModelError) {
        let features = try node.requiredInts("nodes_featureids")
        guard let modeTensor = try node.tensor("nodes_modes"), let modes = modeTensor.int64Values else {
            throw node.error("missing nodes_modes")
        }
        guard let splitTensor = try node.tensor("nodes_splits"), let splits = splitTensor.doubleValues else {
            throw node.error("missing nodes_splits")
        }
        let trueIDs = try node.requiredInts("nodes_truenodeids")
        let falseIDs = try node.requiredInts("nodes_falsenodeids")
        let trueLeafs = try node.requiredInts("nodes_trueleafs")
        let falseLeafs = try node.requiredInts("nodes_falseleafs")
        let missing = node.ints("nodes_missing_value_tracks_true") ?? []
        let leafTargets = try node.requiredInts("leaf_targetids")
        guard let leafTensor = try node.tensor("leaf_weights"), let leafWeights = leafTensor.doubleValues else {
            throw node.error("missing leaf_weights")
        }
        let roots = try node.requiredInts("tree_roots")
        let members = try node.tensor("membership_values")?.doubleValues ?? []
        let count = features.count
        guard modes.count == count, splits.count == count, trueIDs.count == count, falseIDs.count == count,
            trueLeafs.count == count, falseLeafs.count == count, missing.isEmpty || missing.count == count
        else { throw node.error("the nodes_* attributes differ in length") }
        guard leafTargets.count == leafWeights.count else { throw node.error("leaf_targetids and leaf_weights differ in length") }

        // Interior nodes keep their indices; leaf i becomes node count + i with one weight.
        var nodes: [ONNXTreeEnsemble.Node] = []
        var memberSets: [Int: Set<Double>] = [:]
        var memberCursor = 0
        func child(_ id: Int64, isLeaf: Int64) throws(ModelError) -> Int32 {
            if isLeaf != 0 {
                guard id >= 0, Int(id) < leafWeights.count else { throw node.error("a node points to leaf \(id), which does not exist") }
                return Int32(count + Int(id))
            }
            guard id >= 0, Int(id) < count else { throw node.error("a node points to node \(id), which does not exist") }
            return Int32(id)
        }
        let modeTable: [ONNXTreeEnsemble.Mode] = [.lessOrEqual, .less, .greaterOrEqual, .greater, .equal, .notEqual, .member]
        for i in 0..<count {
            guard modes[i] >= 0, Int(modes[i]) < modeTable.count else { throw node.error("unknown node mode \(modes[i])") }
            let mode = modeTable[Int(modes[i])]
            if mode == .member {
                var set = Set<Double>()
                while memberCursor < members.count, !members[memberCursor].isNaN {
                    set.insert(members[memberCursor])
                    memberCursor += 1
                }
                memberCursor += 1
                memberSets[i] = set
            }
            nodes.append(
                .init(
                    threshold: splits[i], feature: Int32(features[i]), trueChild: try child(trueIDs[i], isLeaf: trueLeafs[i]),
                    falseChild: try child(falseIDs[i], isLeaf: falseLeafs[i]), mode: mode,
                    missingTracksTrue: !missing.isEmpty && missing[i] != 0))
        }
        for leaf in 0..<leafWeights.count {
            nodes.append(
                .init(threshold: 0, feature: 0, trueChild: Int32(leaf), falseChild: Int32(leaf + 1), mode: .leaf, missingTracksTrue: false))
        }
        // A root whose both branches are the same leaf is a one-leaf tree.
        var rootIndices: [Int32] = []
        for root in roots {
            guard root >= 0, Int(root) < count else { throw node.error("tree root \(root) is not a node") }
            let r = Int(root)
            if trueLeafs[r] != 0, falseLeafs[r] != 0, trueIDs[r] == falseIDs[r] {
                rootIndices.append(try child(trueIDs[r], isLeaf: 1))
            } else {
                rootIndices.append(Int32(r))
            }
        }
        let aggregateTable: [ONNXTreeEnsemble.Aggregate] = [.average, .sum, .minimum, .maximum]
        let aggregateCode = try node.int("aggregate_function", default: 1)
        guard aggregateTable.indices.contains(aggregateCode) else { throw node.error("unknown aggregate_function \(aggregateCode)") }
        trees = try ONNXTreeEnsemble(
            nodes: nodes, roots: rootIndices, weightTargets: leafTargets.map { Int32($0) }, weightValues: leafWeights,
            memberSets: memberSets, targetCount: try node.int("n_targets"), aggregate: aggregateTable[aggregateCode], error: node.error)
        postTransform = try ONNXPostTransform(code: try node.int("post_transform", default: 0), node: node)
    }

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        try trees.targetScores(try inputs.required(0), finish, finish)
    }

    private func finish<T: ONNXReal>(_ scores: inout [T], rows: Int) {
        postTransform.apply(&scores, width: trees.targetCount)
    }
}

extension ONNXTreeEnsemble {
    /// The `[rows, targets]` output of a regressor-style operator: scores in the input's float type
    /// (double for double rows, float otherwise), then `finish` (base values, post-transform).
    /// `finish` is passed twice, once per type, as Swift cannot pass a generic function as one value.
    func targetScores(
        _ input: ONNXTensor, _ finishDouble: (inout [Double], Int) -> Void,
        _ finishFloat: (inout [Float], Int) -> Void
    ) throws(ModelError) -> [ONNXTensor] {
        if case .double = input.elements {
            var (rows, scores, _) = try self.scores(input, as: Double.self)
            finishDouble(&scores, rows)
            return [ONNXTensor(shape: [rows, targetCount], doubles: scores)]
        }
        var (rows, scores, _) = try self.scores(input, as: Float.self)
        finishFloat(&scores, rows)
        return [ONNXTensor(shape: [rows, targetCount], floats: scores)]
    }
}
