import FoundationEssentials

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A LightGBM model in its text format (`Booster.save_model("model.txt")`).
///
/// Each node's `decision_type` says how to split: bit 0 marks a categorical split (the categories in
/// the node's bitset go left), bit 1 sends missing values left, and bits 2–3 say what is missing
/// (none: NaN counts as 0; zero: 0 and NaN; NaN: NaN only). Numeric splits go left when
/// `x ≤ threshold`. Features trained on pandas categories take their names, coded by position in the
/// file's `pandas_categorical` line. Leaf values already include shrinkage; random-forest models average their trees.
public struct LightGBMModel: InferenceModel {
    public enum Transform: Sendable, Equatable {
        case identity
        case sigmoid(Double)
        case softmax
        /// One-vs-all multiclass: a sigmoid per class.
        case ovaSigmoid(Double)
        case exponential
    }

    public let signature: ModelSignature
    public let transform: Transform
    let trees: [Tree]
    let treesPerIteration: Int
    let averageOutput: Bool
    /// For each text feature (by index), the code of each category name: its position in `pandas_categorical`.
    let categoryCodes: [Int: [String: Double]]

    struct Tree: Sendable {
        var splitFeature: [Int32]
        var threshold: [Double]
        var decisionType: [UInt8]
        var left: [Int32]
        var right: [Int32]
        var leafValue: [Double]
        var categoryBoundaries: [Int]
        var categoryBits: [UInt32]

        func value(for row: UnsafeBufferPointer<Double>) -> Double {
            guard !splitFeature.isEmpty else { return leafValue[0] }
            var node: Int32 = 0
            while node >= 0 {
                let index = Int(node)
                let type = decisionType[index]
                var value = row[Int(splitFeature[index])]
                if type & 1 == 1 {
                    node = categoryGoesLeft(value, node: index) ? left[index] : right[index]
                    continue
                }
                let missingType = (type >> 2) & 3
                if value.isNaN && missingType != 2 { value = 0 }
                if (missingType == 1 && abs(value) <= 1e-35) || (missingType == 2 && value.isNaN) {
                    node = type & 2 == 2 ? left[index] : right[index]
                } else {
                    node = value <= threshold[index] ? left[index] : right[index]
                }
            }
            return leafValue[Int(~node)]
        }

        /// Inlined, with the word and bit by shift and mask (the category is known non-negative): as
        /// a call with divisions it was half the time of categorical models.
        @inline(__always)
        private func categoryGoesLeft(_ value: Double, node: Int) -> Bool {
            // NaN, negative and huge values are in no set (LightGBM sends them right).
            guard value >= 0, value < 2_147_483_648 else { return false }
            let category = Int(value)
            let set = Int(threshold[node])
            guard set + 1 < categoryBoundaries.count else { return false }
            let start = categoryBoundaries[set]
            let count = categoryBoundaries[set + 1] - start
            let word = category >> 5
            guard word < count else { return false }
            return (categoryBits[start + word] >> UInt32(category & 31)) & 1 == 1
        }
    }

    public func predict(_ batch: FeatureBatch) throws(ModelError) -> Prediction {
        let width = signature.features.count
        try batch.requireFeatures(signature.features)
        let outputs = treesPerIteration
        // Category names become their codes; an unknown one is missing, as lightgbm's pandas path makes it.
        let rows = batch.encodingTexts(categoryCodes)
        var scores = [Double](repeating: 0, count: batch.rowCount * outputs)
        let iterations = Double(max(trees.count / max(outputs, 1), 1))
        rows.withUnsafeBufferPointer { values in
            for row in 0..<batch.rowCount {
                let features = UnsafeBufferPointer(rebasing: values[row * width..<(row + 1) * width])
                for (index, tree) in trees.enumerated() { scores[row * outputs + index % outputs] += tree.value(for: features) }
                if averageOutput { for k in 0..<outputs { scores[row * outputs + k] /= iterations } }
            }
        }
        return finish(scores, rows: batch.rowCount)
    }

    private func finish(_ scores: [Double], rows: Int) -> Prediction {
        switch (transform, signature.task) {
        case (.sigmoid(let scale), .classification):
            return .binary(margins: scores, scale: scale)
        case (.softmax, _):
            return .softmax(scores: scores, classes: treesPerIteration)
        case (.ovaSigmoid(let scale), _):
            // One-vs-all: a sigmoid per class, not normalised, exactly as LightGBM's predict gives them.
            let classes = treesPerIteration
            let probabilities = scores.map { 1 / (1 + exp(-scale * $0)) }
            let labels = (0..<rows).map { row in
                (0..<classes).max { probabilities[row * classes + $0] < probabilities[row * classes + $1] } ?? 0
            }
            return .classification(labelIndices: labels, probabilities: probabilities, classCount: classes)
        case (.sigmoid(let scale), _):
            return .regression(values: scores.map { 1 / (1 + exp(-scale * $0)) }, targets: 1)
        case (.exponential, _):
            return .regression(values: scores.map { exp($0) }, targets: 1)
        case (.identity, _):
            return .regression(values: scores, targets: 1)
        }
    }
}
