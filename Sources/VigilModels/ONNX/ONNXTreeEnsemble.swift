internal import CFloatKernels

/// The trees of an ai.onnx.ml tree-ensemble operator, flattened for evaluation.
///
/// All three operators (`TreeEnsembleRegressor`, `TreeEnsembleClassifier`, opset-5 `TreeEnsemble`)
/// compile to this form, and so do XGBoost's numeric trees (`XGBoostModel.ensemble`). Thresholds
/// are compared as doubles: float inputs and float thresholds convert exactly, so each comparison is
/// the one onnxruntime makes. Leaf weights are summed in the input's element type, in tree order, as
/// onnxruntime sums them.
///
/// Leaves point to themselves on both branches. For trees of `<=` nodes (scikit-learn's) whose
/// leaves sit at similar depths, that allows a branch-free walk of a fixed number of steps: 32 rows
/// at a time in the C kernel's AVX2 gathers for batches (`ONNXCompactTrees`), four rows at a time
/// otherwise. Either way the walks are independent chains of loads, so the CPU overlaps them instead
/// of stalling on each. Lopsided trees (a few deep leaves) take the early-exit walk.
struct ONNXTreeEnsemble: Sendable {
    enum Mode: UInt8, Sendable {
        case lessOrEqual, less, greaterOrEqual, greater, equal, notEqual, member, leaf
    }

    struct Node: Sendable {
        var threshold: Double
        var feature: Int32
        /// For a leaf as built by the operators: the start of its weights (then the leaf itself).
        var trueChild: Int32
        /// For a leaf as built by the operators: the end of its weights (then the leaf itself).
        var falseChild: Int32
        var mode: Mode
        var missingTracksTrue: Bool
    }

    enum Aggregate: Sendable { case sum, average, minimum, maximum }

    let nodes: [Node]
    let roots: [Int32]
    /// Per node: the range of its weights, for leaves.
    let leafStart: [Int32]
    let leafEnd: [Int32]
    /// Per tree: the most steps from the root to a leaf.
    let depths: [Int]
    let weightTargets: [Int32]
    let weightValues: [Double]
    /// The weights as floats, for FP32 inputs, converted once at load.
    let floatWeights: [Float]
    /// Set members of `.member` nodes, by node index.
    let memberSets: [Int: Set<Double>]
    let targetCount: Int
    let featureCount: Int
    let aggregate: Aggregate
    /// Per tree: whether it takes the fixed-depth walk (all `<=`, at most `fixedWalkDepthLimit` deep,
    /// and its depth within twice its mean leaf depth plus two, so few steps are wasted).
    let walksFixedDepth: [Bool]
    /// Every interior node is `<=`: the early-exit walk needs no mode switch either.
    let allLessOrEqual: Bool
    /// The trees laid out again for FP32 rows, when every node is `<=` and every threshold is exactly
    /// a float (as the classic operators store them): rows then compare as float, which is the same test.
    let compactTrees: ONNXCompactTrees?

    static let fixedWalkDepthLimit = 20
    /// Batches of at least this many rows take the vector walk, where there is one; fewer rows would
    /// leave most of its lanes repeating the last row.
    static let vectorWalkRows = 8

    /// Checks every index and measures every tree, so that evaluation can run unchecked and cannot loop.
    init(
        nodes built: [Node], roots: [Int32], weightTargets: [Int32], weightValues: [Double], memberSets: [Int: Set<Double>],
        targetCount: Int, aggregate: Aggregate, error: (String) -> ModelError
    ) throws(ModelError) {
        guard !roots.isEmpty else { throw error("has no trees") }
        var nodes = built
        var leafStart = [Int32](repeating: 0, count: nodes.count)
        var leafEnd = [Int32](repeating: 0, count: nodes.count)
        var maximumFeature: Int32 = -1
        for (index, node) in built.enumerated() {
            if node.mode == .leaf {
                guard node.trueChild >= 0, node.trueChild <= node.falseChild, Int(node.falseChild) <= weightValues.count else {
                    throw error("leaf \(index) has no valid weights")
                }
                leafStart[index] = node.trueChild
                leafEnd[index] = node.falseChild
                nodes[index] = Node(
                    threshold: 0, feature: 0, trueChild: Int32(index), falseChild: Int32(index), mode: .leaf, missingTracksTrue: false)
            } else {
                guard node.feature >= 0, node.trueChild >= 0, Int(node.trueChild) < nodes.count,
                    node.falseChild >= 0, Int(node.falseChild) < nodes.count
                else { throw error("node \(index) points outside the tree") }
                if node.mode == .member, memberSets[index] == nil { throw error("set-membership node \(index) has no members") }
                maximumFeature = max(maximumFeature, node.feature)
            }
        }
        for root in roots where root < 0 || Int(root) >= nodes.count { throw error("tree root \(root) is not a node") }
        for target in weightTargets where target < 0 || Int(target) >= targetCount {
            throw error("a leaf weight targets \(target), but there are \(targetCount) targets")
        }
        // Each node's height, leaf count and total leaf depth below it, computed once per node in
        // post-order with an explicit stack: linear in the nodes, even for a file whose branches share
        // nodes (walking every path of such a graph is exponential). A node met again while its own
        // subtree is open is a cycle.
        var state = [UInt8](repeating: 0, count: nodes.count)  // 0 new, 1 open, 2 done
        var height = [Int](repeating: 0, count: nodes.count)
        var leafCount = [Double](repeating: 0, count: nodes.count)
        var leafDepthTotal = [Double](repeating: 0, count: nodes.count)
        var depths: [Int] = []
        var balanced: [Bool] = []
        for root in roots {
            var stack = [Int(root)]
            while let index = stack.last {
                let node = nodes[index]
                if state[index] == 2 {
                    stack.removeLast()
                } else if node.mode == .leaf {
                    state[index] = 2
                    leafCount[index] = 1
                    stack.removeLast()
                } else if state[index] == 0 {
                    state[index] = 1
                    for child in [Int(node.trueChild), Int(node.falseChild)] where state[child] != 2 {
                        guard state[child] == 0 else { throw error("the tree at node \(root) has a cycle") }
                        stack.append(child)
                    }
                } else {
                    let t = Int(node.trueChild)
                    let f = Int(node.falseChild)
                    height[index] = 1 + max(height[t], height[f])
                    leafCount[index] = leafCount[t] + leafCount[f]
                    leafDepthTotal[index] = leafDepthTotal[t] + leafCount[t] + leafDepthTotal[f] + leafCount[f]
                    state[index] = 2
                    stack.removeLast()
                }
            }
            let top = Int(root)
            depths.append(height[top])
            balanced.append(Double(height[top]) <= 2 * leafDepthTotal[top] / max(leafCount[top], 1) + 2)
        }
        self.nodes = nodes
        self.roots = roots
        self.leafStart = leafStart
        self.leafEnd = leafEnd
        self.depths = depths
        self.weightTargets = weightTargets
        self.weightValues = weightValues
        self.floatWeights = weightValues.map(Float.init)
        self.memberSets = memberSets
        self.targetCount = targetCount
        self.featureCount = Int(maximumFeature) + 1
        self.aggregate = aggregate
        let allLessOrEqual = nodes.allSatisfy { $0.mode == .lessOrEqual || $0.mode == .leaf }
        self.allLessOrEqual = allLessOrEqual
        if allLessOrEqual, nodes.allSatisfy({ Double(Float($0.threshold)) == $0.threshold || $0.mode == .leaf }) {
            self.compactTrees = ONNXCompactTrees(nodes: nodes, roots: roots)
        } else {
            self.compactTrees = nil
        }
        self.walksFixedDepth = zip(depths, balanced).map { allLessOrEqual && $0 <= Self.fixedWalkDepthLimit && $1 }
    }

    /// Aggregates the leaf weights of every tree for each row of `input` (`[rows, features]`).
    /// Returns `rows * targetCount` raw scores and whether each got any weight.
    func scores<T: ONNXReal>(_ input: ONNXTensor, as: T.Type) throws(ModelError) -> (rows: Int, scores: [T], hasScore: [Bool]) {
        let (rows, columns) = input.rowsAndColumns
        guard columns >= featureCount, columns > 0 else {
            throw operatorError("the trees read feature \(featureCount - 1) but rows have \(columns) columns")
        }
        if case .float(let values) = input.elements, let compactTrees {
            // FP32 rows against float thresholds: the compact trees, and no widening of the rows.
            return compactTrees.nodes.withUnsafeBufferPointer { nodes in
                values.withUnsafeBufferPointer { rowsBuffer in
                    accumulate(
                        CompactWalk(nodes: nodes), roots: compactTrees.roots, rows: rows, columns: columns, values: rowsBuffer, as: T.self)
                }
            }
        }
        guard let values = input.doubleValues else { throw operatorError("tree ensembles need a numeric input") }
        return nodes.withUnsafeBufferPointer { nodes in
            values.withUnsafeBufferPointer { rowsBuffer in
                accumulate(
                    FullWalk(nodes: nodes, memberSets: memberSets, allLessOrEqual: allLessOrEqual), roots: roots, rows: rows,
                    columns: columns,
                    values: rowsBuffer, as: T.self)
            }
        }
    }

    /// Walks every tree (from `roots`, in the walk's numbering) for every row and adds the leaves'
    /// weights, every tree in order for each row. Batches of `vectorWalkRows` or more go 32 rows a block
    /// through the walk's vector form where it has one; otherwise four rows at a time (the last block
    /// repeats its final row).
    private func accumulate<T: ONNXReal, Walk: ONNXTreeWalk>(
        _ walk: Walk, roots: [Int32], rows: Int, columns: Int, values: UnsafeBufferPointer<Walk.Value>,
        as: T.Type
    ) -> (rows: Int, scores: [T], hasScore: [Bool]) {
        var scores = [T](directRepeating: 0, count: rows * targetCount)
        var hasScore = [Bool](directRepeating: false, count: rows * targetCount)
        let weights = T.leafWeights(of: self)
        let targetCount = self.targetCount
        let aggregate = self.aggregate
        leafStart.withUnsafeBufferPointer { leafStart in
            leafEnd.withUnsafeBufferPointer { leafEnd in
                weights.withUnsafeBufferPointer { weights in
                    weightTargets.withUnsafeBufferPointer { targets in
                        scores.withUnsafeMutableBufferPointer { scores in
                            hasScore.withUnsafeMutableBufferPointer { hasScore in
                                // Base pointers as locals: the compiler keeps them in registers instead of reloading each
                                // one after every store (a store through one buffer might otherwise have moved another).
                                // Without weights (or rows) there is nothing to add.
                                guard let start = values.baseAddress, let scoreBase = scores.baseAddress,
                                    let flagBase = hasScore.baseAddress,
                                    let startBase = leafStart.baseAddress, let endBase = leafEnd.baseAddress,
                                    let weightBase = weights.baseAddress, let targetBase = targets.baseAddress
                                else { return }
                                /// Adds the weights of the leaf the walk stopped on to row `row`, in the order the file lists them.
                                func add(_ stop: Int, row: Int) {
                                    let leaf = walk.node(stop)
                                    let base = row &* targetCount
                                    var w = Int(startBase[leaf])
                                    let end = Int(endBase[leaf])
                                    while w < end {
                                        let slot = base &+ Int(targetBase[w])
                                        let weight = weightBase[w]
                                        switch aggregate {
                                        case .sum, .average: scoreBase[slot] += weight
                                        case .minimum: scoreBase[slot] = flagBase[slot] ? min(scoreBase[slot], weight) : weight
                                        case .maximum: scoreBase[slot] = flagBase[slot] ? max(scoreBase[slot], weight) : weight
                                        }
                                        flagBase[slot] = true
                                        w &+= 1
                                    }
                                }
                                if rows >= Self.vectorWalkRows && walk.walksBlocksAtOnce && walksFixedDepth.contains(true) {
                                    // Blocks of up to 32 rows (the C kernel's VIGIL_TREE_BLOCK): the fixed-depth trees in one
                                    // vector walk, four groups of eight rows in flight, the others row by row.
                                    let fixed = roots.indices.filter { walksFixedDepth[$0] }
                                    let fixedRoots = fixed.map { roots[$0] }
                                    let fixedDepths = fixed.map { Int32(depths[$0]) }
                                    var stops = [Int32](repeating: 0, count: fixed.count * Int(VIGIL_TREE_BLOCK))
                                    stops.withUnsafeMutableBufferPointer { stops in
                                        guard let stopsBase = stops.baseAddress else { return }
                                        for block in stride(from: 0, to: rows, by: Int(VIGIL_TREE_BLOCK)) {
                                            let count = min(Int(VIGIL_TREE_BLOCK), rows - block)
                                            let x = start + block * columns
                                            walk.walkBlock(
                                                roots: fixedRoots, depths: fixedDepths, x, columns: columns, count: count, into: stopsBase)
                                            var fixedIndex = 0
                                            for (tree, root) in roots.enumerated() {
                                                if walksFixedDepth[tree] {
                                                    let treeStops = stopsBase + fixedIndex * Int(VIGIL_TREE_BLOCK)
                                                    fixedIndex += 1
                                                    for r in 0..<count { add(Int(treeStops[r]), row: block + r) }
                                                } else {
                                                    for r in 0..<count { add(walk.leaf(from: Int(root), x + r * columns), row: block + r) }
                                                }
                                            }
                                        }
                                    }
                                } else {
                                    for block in stride(from: 0, to: rows, by: 4) {
                                        let last = min(block + 3, rows - 1)
                                        let x0 = start + block * columns
                                        let x1 = start + min(block + 1, last) * columns
                                        let x2 = start + min(block + 2, last) * columns
                                        let x3 = start + last * columns
                                        for (tree, root) in roots.enumerated() {
                                            var i0 = Int(root)
                                            var i1 = Int(root)
                                            var i2 = Int(root)
                                            var i3 = Int(root)
                                            if walksFixedDepth[tree] {
                                                // Four walks in step until all four sit on leaves (a leaf steps to itself).
                                                for _ in 0..<depths[tree] {
                                                    let n0 = walk.step(i0, x0)
                                                    let n1 = walk.step(i1, x1)
                                                    let n2 = walk.step(i2, x2)
                                                    let n3 = walk.step(i3, x3)
                                                    if n0 == i0 && n1 == i1 && n2 == i2 && n3 == i3 { break }
                                                    i0 = n0
                                                    i1 = n1
                                                    i2 = n2
                                                    i3 = n3
                                                }
                                            } else {
                                                i0 = walk.leaf(from: i0, x0)
                                                if block + 1 <= last { i1 = walk.leaf(from: i1, x1) }
                                                if block + 2 <= last { i2 = walk.leaf(from: i2, x2) }
                                                if block + 3 <= last { i3 = walk.leaf(from: i3, x3) }
                                            }
                                            add(i0, row: block)
                                            if block + 1 <= last { add(i1, row: block + 1) }
                                            if block + 2 <= last { add(i2, row: block + 2) }
                                            if block + 3 <= last { add(i3, row: block + 3) }
                                        }
                                    }
                                }
                                if aggregate == .average {
                                    let trees = T(roots.count)
                                    for index in 0..<scores.count { scores[index] /= trees }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (rows, scores, hasScore)
    }
}

/// How a row steps through the nodes. Leaves step to themselves.
protocol ONNXTreeWalk {
    associatedtype Value
    /// One step from node `index` for the row `x`.
    func step(_ index: Int, _ x: UnsafePointer<Value>) -> Int
    /// Steps from `root` until a leaf.
    func leaf(from root: Int, _ x: UnsafePointer<Value>) -> Int
    /// The ensemble's node index of the walk's node `index` (walks may number nodes their own way).
    func node(_ index: Int) -> Int
    /// Whether `walkBlock` works here.
    var walksBlocksAtOnce: Bool { get }
    /// Walks `count` (1...32) rows, `columns` apart from `x`, down each tree (`depths[t]` steps from
    /// `roots[t]`) at once, with the C kernel's AVX2 gathers; row r's stop in tree t goes to
    /// `stops[t * 32 + r]`. Only where `walksBlocksAtOnce`.
    func walkBlock(
        roots: [Int32], depths: [Int32], _ x: UnsafePointer<Value>, columns: Int, count: Int, into stops: UnsafeMutablePointer<Int32>)
}

extension ONNXTreeWalk {
    var walksBlocksAtOnce: Bool { false }
    func walkBlock(
        roots: [Int32], depths: [Int32], _ x: UnsafePointer<Value>, columns: Int, count: Int, into stops: UnsafeMutablePointer<Int32>
    ) {}
}

/// Rows as doubles over the full nodes: every node mode.
private struct FullWalk: ONNXTreeWalk {
    let nodes: UnsafeBufferPointer<ONNXTreeEnsemble.Node>
    let memberSets: [Int: Set<Double>]
    let allLessOrEqual: Bool

    /// A `<=` step without branches: NaN goes true only where the node says so
    /// (`!(v > t)` is `v <= t || v.isNaN`).
    @inline(__always)
    func step(_ index: Int, _ x: UnsafePointer<Double>) -> Int {
        let node = nodes[index]
        let value = x[Int(node.feature)]
        let goesTrue = node.missingTracksTrue ? !(value > node.threshold) : value <= node.threshold
        return Int(goesTrue ? node.trueChild : node.falseChild)
    }

    @inline(__always)
    func node(_ index: Int) -> Int { index }

    @inline(__always)
    func leaf(from root: Int, _ x: UnsafePointer<Double>) -> Int {
        var index = root
        if allLessOrEqual {
            for _ in 0...nodes.count {
                let next = step(index, x)
                if next == index { return index }
                index = next
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
}

/// A `<=` node in 16 bytes, for FP32 rows: the float threshold, the feature with the
/// missing-goes-true flag in its sign bit, the first of its two children (true, then false, side by
/// side), and the ensemble's index of the node. A leaf's first child is itself, and it always goes
/// true (an infinite threshold, missing values true), so a walk that reaches it stays on it.
/// The C kernel's struct, so that both sides agree on the layout.
typealias ONNXCompactTreeNode = vigil_tree_node

extension ONNXCompactTreeNode {
    init(threshold: Float, featureAndFlag: Int32, firstChild: Int32, original: Int32) {
        self.init(threshold: threshold, feature_and_flag: featureAndFlag, first_child: firstChild, original: original)
    }
}

/// The trees renumbered so that every node's two children sit side by side: a step then picks
/// `firstChild + (goes false ? 1 : 0)` with no load of a child index, which takes one load off the
/// chain each row waits on at every level.
struct ONNXCompactTrees: Sendable {
    let nodes: [ONNXCompactTreeNode]
    /// Per tree: its root's index in `nodes`.
    let roots: [Int32]

    /// Lays out `nodes` (every interior node `<=`, checked and cycle-free) tree by tree, breadth first.
    /// Nil when nodes are shared between branches (a graph, not trees), which would be copied once per path.
    init?(nodes source: [ONNXTreeEnsemble.Node], roots sourceRoots: [Int32]) {
        var nodes: [ONNXCompactTreeNode] = []
        nodes.reserveCapacity(source.count + sourceRoots.count)
        var roots: [Int32] = []
        for root in sourceRoots {
            // Each queued entry is a source node and the slot it was given; its children get the next two slots.
            var queue: [(source: Int, slot: Int)] = [(Int(root), nodes.count)]
            roots.append(Int32(nodes.count))
            nodes.append(ONNXCompactTreeNode(threshold: 0, featureAndFlag: 0, firstChild: 0, original: root))
            var head = 0
            while head < queue.count {
                let (index, slot) = queue[head]
                head += 1
                let node = source[index]
                if node.mode == .leaf {
                    nodes[slot] = ONNXCompactTreeNode(
                        threshold: .infinity, featureAndFlag: Int32.min, firstChild: Int32(slot), original: Int32(index))
                    continue
                }
                let first = nodes.count
                guard first + 2 <= source.count + sourceRoots.count else { return nil }
                for child in [node.trueChild, node.falseChild] {
                    queue.append((Int(child), nodes.count))
                    nodes.append(ONNXCompactTreeNode(threshold: 0, featureAndFlag: 0, firstChild: 0, original: child))
                }
                nodes[slot] = ONNXCompactTreeNode(
                    threshold: Float(node.threshold),
                    featureAndFlag: node.missingTracksTrue ? node.feature | Int32.min : node.feature,
                    firstChild: Int32(first), original: Int32(index))
            }
        }
        self.nodes = nodes
        self.roots = roots
    }
}

/// Rows as floats over the compact trees (all `<=`, every threshold a float).
private struct CompactWalk: ONNXTreeWalk {
    let nodes: UnsafeBufferPointer<ONNXCompactTreeNode>

    /// Branch-free, as bits: rows go every way, and a mispredicted branch per level costs more than
    /// the arithmetic. Goes true when `value <= threshold`, or when the value is missing and the
    /// node's flag says missing goes true (`!(value > threshold)` is the first or a NaN).
    @inline(__always)
    func step(_ index: Int, _ x: UnsafePointer<Float>) -> Int {
        let node = nodes[index]
        let value = x[Int(node.feature_and_flag & Int32.max)]
        let lessOrEqual = unsafeBitCast(value <= node.threshold, to: UInt8.self)
        let notGreater = unsafeBitCast(!(value > node.threshold), to: UInt8.self)
        let flag = UInt8(truncatingIfNeeded: UInt32(bitPattern: node.feature_and_flag) >> 31)
        let goesFalse = (lessOrEqual | (flag & notGreater)) ^ 1
        return Int(node.first_child) &+ Int(goesFalse)
    }

    @inline(__always)
    func node(_ index: Int) -> Int { Int(nodes[index].original) }

    /// AVX2 gathers, as the float kernels check the CPU.
    var walksBlocksAtOnce: Bool { vigil_sgemm_uses_avx2() != 0 && nodes.baseAddress != nil }

    func walkBlock(
        roots: [Int32], depths: [Int32], _ x: UnsafePointer<Float>, columns: Int, count: Int, into stops: UnsafeMutablePointer<Int32>
    ) {
        guard let base = nodes.baseAddress else { return }
        roots.withUnsafeBufferPointer { roots in
            depths.withUnsafeBufferPointer { depths in
                guard let rootsBase = roots.baseAddress, let depthsBase = depths.baseAddress else { return }
                _ = vigil_tree_walk_block(base, rootsBase, depthsBase, Int32(roots.count), x, columns, Int32(count), stops)
            }
        }
    }

    @inline(__always)
    func leaf(from root: Int, _ x: UnsafePointer<Float>) -> Int {
        var index = root
        for _ in 0...nodes.count {
            let next = step(index, x)
            if next == index { return index }
            index = next
        }
        return index
    }
}
