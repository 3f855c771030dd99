import FoundationEssentials

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Prediction {
    /// Binary classification from one margin per row: `p = sigmoid(scale · margin)`,
    /// probabilities `[1 − p, p]`, label 1 when `p > 0.5`.
    static func binary(margins: [Double], scale: Double = 1) -> Prediction {
        var probabilities = [Double](repeating: 0, count: margins.count * 2)
        var labels = [Int](repeating: 0, count: margins.count)
        for (row, margin) in margins.enumerated() {
            let p = 1 / (1 + exp(-scale * margin))
            probabilities[row * 2] = 1 - p
            probabilities[row * 2 + 1] = p
            labels[row] = p > 0.5 ? 1 : 0
        }
        return .classification(labelIndices: labels, probabilities: probabilities, classCount: 2)
    }

    /// Multiclass classification from `classes` scores per row: softmax (the row maximum subtracted
    /// first, for stability), label the first class with the highest score.
    static func softmax(scores: [Double], classes: Int) -> Prediction {
        let rows = classes == 0 ? 0 : scores.count / classes
        var probabilities = [Double](repeating: 0, count: scores.count)
        var labels = [Int](repeating: 0, count: rows)
        for row in 0..<rows {
            let base = row * classes
            var best = 0
            for c in 1..<max(classes, 1) where scores[base + c] > scores[base + best] { best = c }
            let top = scores[base + best]
            var total = 0.0
            for c in 0..<classes {
                let e = exp(scores[base + c] - top)
                probabilities[base + c] = e
                total += e
            }
            for c in 0..<classes { probabilities[base + c] /= total }
            labels[row] = best
        }
        return .classification(labelIndices: labels, probabilities: probabilities, classCount: classes)
    }
}

extension Feature {
    /// The features of a model file with `count` inputs: `override` (from `vigil.json` or the
    /// reference header) when given, else the file's own names, else `f0`, `f1`, ….
    static func resolve(override: [Feature]?, fileNames: [String]?, count: Int, file: String) throws(ModelError) -> [Feature] {
        if let override {
            guard override.count == count else {
                throw ModelError(
                    .invalidModel,
                    "\(file) takes \(count) features but \(override.count) columns were named (by vigil.json or the reference.csv header); list non-input reference columns in vigil.json \"ignore_columns\""
                )
            }
            return override
        }
        if let fileNames, fileNames.count == count { return fileNames.map { Feature(name: $0, kind: .numeric) } }
        return (0..<count).map { Feature(name: "f\($0)", kind: .numeric) }
    }
}
