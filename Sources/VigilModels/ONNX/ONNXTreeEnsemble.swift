/// The trees of an ai.onnx.ml tree-ensemble operator, flattened for evaluation.
///
/// All three operators (`TreeEnsembleRegressor`, `TreeEnsembleClassifier`, opset-5 `TreeEnsemble`)
/// compile to this form. Thresholds are compared as doubles: float inputs and float thresholds
/// convert exactly, so each comparison is the one onnxruntime makes. Leaf weights are summed in
/// the input's element type, in tree order, as onnxruntime sums them.
struct ONNXTreeEnsemble: Sendable {
    enum Mode: UInt8, Sendable {
        case lessOrEqual, less, greaterOrEqual, greater, equal, notEqual, member, leaf
    }

    struct Node: Sendable {
        var threshold: Double
        var feature: Int32
        /// For a leaf: the start of its weights.
        var trueChild: Int32
        /// For a leaf: the end of its weights.
        var falseChild: Int32
        var mode: Mode
        var missingTracksTrue: Bool
    }

    enum Aggregate: Sendable { case sum, average, minimum, maximum }

    let nodes: [Node]
    let roots: [Int32]
    let weightTargets: [Int32]
    let weightValues: [Double]
    /// The weights as floats, for FP32 inputs, converted once at load.
    let floatWeights: [Float]
    /// Set members of `.member` nodes, by node index.
    let memberSets: [Int: Set<Double>]
    let targetCount: Int
    let featureCount: Int
    let aggregate: Aggregate
    /// Every interior node is `<=`, as scikit-learn's trees are: the walk needs no mode switch.
    let allLessOrEqual: Bool

    /// Checks every index so that evaluation can run unchecked.
    init(nodes: [Node], roots: [Int32], weightTargets: [Int32], weightValues: [Double], memberSets: [Int: Set<Double>],
         targetCount: Int, aggregate: Aggregate, context: ONNXNode) throws(ModelError) {
        guard !roots.isEmpty else { throw context.error("has no trees") }
        var maximumFeature: Int32 = -1
        for (index, node) in nodes.enumerated() {
            if node.mode == .leaf {
                guard node.trueChild >= 0, node.trueChild <= node.falseChild, Int(node.falseChild) <= weightValues.count else {
                    throw context.error("leaf \(index) has no valid weights")
                }
            } else {
                guard node.feature >= 0, node.trueChild >= 0, Int(node.trueChild) < nodes.count,
                      node.falseChild >= 0, Int(node.falseChild) < nodes.count
                else { throw context.error("node \(index) points outside the tree") }
                if node.mode == .member, memberSets[index] == nil { throw context.error("set-membership node \(index) has no members") }
                maximumFeature = max(maximumFeature, node.feature)
            }
        }
        for root in roots where root < 0 || Int(root) >= nodes.count { throw context.error("tree root \(root) is not a node") }
        for target in weightTargets where target < 0 || Int(target) >= targetCount {
            throw context.error("a leaf weight targets \(target), but there are \(targetCount) targets")
        }
        self.nodes = nodes
        self.roots = roots
        self.weightTargets = weightTargets
        self.weightValues = weightValues
        self.floatWeights = weightValues.map(Float.init)
        self.memberSets = memberSets
        self.targetCount = targetCount
        self.featureCount = Int(maximumFeature) + 1
        self.aggregate = aggregate
        self.allLessOrEqual = nodes.allSatisfy { $0.mode == .lessOrEqual || $0.mode == .leaf }
    }

    /// The leaf `root`'s tree reaches for the row `x`. Bounded by the node count, so a malformed cycle cannot hang.
    @inline(__always)
    private func leaf(from root: Int32, _ x: UnsafePointer<Double>, _ nodes: UnsafeBufferPointer<Node>) -> Int {
        var index = Int(root)
        if allLessOrEqual {
            for _ in 0...nodes.count {
                let node = nodes[index]
                if node.mode == .leaf { return index }
                let value = x[Int(node.feature)]
                index = Int((value <= node.threshold || (node.missingTracksTrue && value.isNaN)) ? node.trueChild : node.falseChild)
            }
            return index
        }
        for _ in 0...nodes.count {
            let node = nodes[index]
            let value = x[Int(node.feature)]
            let goesTrue: Bool
            switch node.mode {
            case .lessOrEqual: goesTrue = value <= node.threshold
            case .leaf: return index
            case .less: goesTrue = value < node.threshold
            case .greaterOrEqual: goesTrue = value >= node.threshold
            case .greater: goesTrue = value > node.threshold
            case .equal: goesTrue = value == node.threshold
            case .notEqual: goesTrue = value != node.threshold
            case .member: goesTrue = memberSets[index]?.contains(value) ?? false
            }
            index = Int((goesTrue || (node.missingTracksTrue && value.isNaN)) ? node.trueChild : node.falseChild)
        }
        return index
    }

    /// Aggregates the leaf weights of every tree for each row of `input` (`[rows, features]`).
    /// Returns `rows * targetCount` raw scores and whether each got any weight.
    func scores<T: ONNXReal>(_ input: ONNXTensor, as: T.Type) throws(ModelError) -> (rows: Int, scores: [T], hasScore: [Bool]) {
        let (rows, columns) = input.rowsAndColumns
        guard columns >= featureCount, columns > 0 else { throw operatorError("the trees read feature \(featureCount - 1) but rows have \(columns) columns") }
        guard let values = input.doubleValues else { throw operatorError("tree ensembles need a numeric input") }
        var scores = [T](repeating: 0, count: rows * targetCount)
        var hasScore = [Bool](repeating: false, count: rows * targetCount)
        let weights = T.leafWeights(of: self)
        let targetCount = self.targetCount
        values.withUnsafeBufferPointer { all in
        nodes.withUnsafeBufferPointer { nodes in
        roots.withUnsafeBufferPointer { roots in
        weights.withUnsafeBufferPointer { weights in
        weightTargets.withUnsafeBufferPointer { targets in
        scores.withUnsafeMutableBufferPointer { scores in
        hasScore.withUnsafeMutableBufferPointer { hasScore in
            guard let start = all.baseAddress else { return }
            for row in 0..<rows {
                let x = start + row * columns
                let base = row * targetCount
                for root in roots {
                    let leaf = nodes[leaf(from: root, x, nodes)]
                    for w in Int(leaf.trueChild)..<Int(leaf.falseChild) {
                        let slot = base + Int(targets[w])
                        let weight = weights[w]
                        switch aggregate {
                        case .sum, .average: scores[slot] += weight
                        case .minimum: scores[slot] = hasScore[slot] ? min(scores[slot], weight) : weight
                        case .maximum: scores[slot] = hasScore[slot] ? max(scores[slot], weight) : weight
                        }
                        hasScore[slot] = true
                    }
                }
                if aggregate == .average {
                    let trees = T(roots.count)
                    for t in 0..<targetCount { scores[base + t] /= trees }
                }
            }
        }}}}}}}
        return (rows, scores, hasScore)
    }
}
