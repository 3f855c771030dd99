import FoundationEssentials

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A node's computation, prepared once at load time from the node's attributes.
///
/// `run` gets the node's inputs in order (nil where an optional input is left empty) and returns its
/// outputs in order. Errors are plain messages; the graph adds the node's name.
protocol ONNXOperator: Sendable {
    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor]
}

/// Throws the error operators give for a bad input at run time.
func operatorError(_ message: String) -> ModelError {
    ModelError(.invalidInput, message)
}

extension Array where Element == ONNXTensor? {
    /// The input at `index`, which the operator needs.
    func required(_ index: Int) throws(ModelError) -> ONNXTensor {
        guard index < count, let tensor = self[index] else { throw operatorError("input \(index) is missing") }
        return tensor
    }
}

/// The floating-point element types a graph computes in, with the functions the operators need.
protocol ONNXReal: BinaryFloatingPoint, Sendable, BitwiseCopyable {
    static func exponential(_ x: Self) -> Self
    static func hyperbolicTangent(_ x: Self) -> Self
    static func logarithm(_ x: Self) -> Self
    /// `a · b + c` rounded once, as the FMA instructions onnxruntime's matrix kernels use.
    static func fusedMultiplyAdd(_ a: Self, _ b: Self, _ c: Self) -> Self
    /// A tree ensemble's leaf weights in this type, converted at load rather than per call.
    static func leafWeights(of trees: ONNXTreeEnsemble) -> [Self]
}

extension Float: ONNXReal {
    static func exponential(_ x: Float) -> Float { exp(x) }
    static func hyperbolicTangent(_ x: Float) -> Float { tanh(x) }
    static func logarithm(_ x: Float) -> Float { log(x) }
    /// The product of two floats is exact in a double, so one rounding of the double sum matches a
    /// float FMA (barring double rounding, about once in 2^29), and unlike `fmaf` it vectorizes.
    @inline(__always)
    static func fusedMultiplyAdd(_ a: Float, _ b: Float, _ c: Float) -> Float { Float(Double(a) * Double(b) + Double(c)) }
    static func leafWeights(of trees: ONNXTreeEnsemble) -> [Float] { trees.floatWeights }
}

extension Double: ONNXReal {
    static func exponential(_ x: Double) -> Double { exp(x) }
    static func hyperbolicTangent(_ x: Double) -> Double { tanh(x) }
    static func logarithm(_ x: Double) -> Double { log(x) }
    @inline(__always)
    static func fusedMultiplyAdd(_ a: Double, _ b: Double, _ c: Double) -> Double { c.addingProduct(a, b) }
    static func leafWeights(of trees: ONNXTreeEnsemble) -> [Double] { trees.weightValues }
}

/// The score transforms of the ai.onnx.ml classifiers and regressors, computed as onnxruntime does.
enum ONNXPostTransform: Sendable {
    case none, softmax, logistic, softmaxZero, probit

    init(name: String, node: ONNXNode) throws(ModelError) {
        switch name {
        case "NONE", "": self = .none
        case "SOFTMAX": self = .softmax
        case "LOGISTIC": self = .logistic
        case "SOFTMAX_ZERO": self = .softmaxZero
        case "PROBIT": self = .probit
        default: throw node.error("unknown post_transform \(name)")
        }
    }

    /// The opset-5 `TreeEnsemble` numbering: 0 NONE, 1 SOFTMAX, 2 LOGISTIC, 3 SOFTMAX_ZERO, 4 PROBIT.
    init(code: Int, node: ONNXNode) throws(ModelError) {
        let all: [ONNXPostTransform] = [.none, .softmax, .logistic, .softmaxZero, .probit]
        guard all.indices.contains(code) else { throw node.error("unknown post_transform \(code)") }
        self = all[code]
    }

    /// Applies the transform to every `width`-wide row of `values`, in place.
    func apply<T: ONNXReal>(_ values: inout [T], width: Int) {
        guard self != .none, width > 0 else { return }
        values.withUnsafeMutableBufferPointer { buffer in
            for start in stride(from: 0, to: buffer.count, by: width) {
                apply(UnsafeMutableBufferPointer(rebasing: buffer[start..<(start + width)]))
            }
        }
    }

    /// Applies the transform to one row of scores in place.
    func apply<T: ONNXReal>(_ row: UnsafeMutableBufferPointer<T>) {
        switch self {
        case .none:
            break
        case .logistic:
            for index in row.indices { row[index] = Self.logistic(row[index]) }
        case .probit:
            for index in row.indices { row[index] = Self.probit(row[index]) }
        case .softmax:
            guard let top = row.max() else { return }
            var total: T = 0
            for index in row.indices {
                row[index] = T.exponential(row[index] - top)
                total += row[index]
            }
            for index in row.indices { row[index] /= total }
        case .softmaxZero:
            // Softmax over the non-zero scores; zeros stay zero.
            var top = -T.infinity
            for value in row where value != 0 && value > top { top = value }
            var total: T = 0
            for index in row.indices where row[index] != 0 {
                row[index] = T.exponential(row[index] - top)
                total += row[index]
            }
            if total > 0 { for index in row.indices { row[index] /= total } }
        }
    }

    /// onnxruntime's logistic: exact for large |x| on both sides.
    static func logistic<T: ONNXReal>(_ x: T) -> T {
        let v = 1 / (1 + T.exponential(-abs(x)))
        return x < 0 ? 1 - v : v
    }

    /// onnxruntime's probit: √2 · erfinv(2p − 1), with its closed-form erfinv approximation.
    static func probit<T: ONNXReal>(_ p: T) -> T {
        var x = 2 * p - 1
        let sign: T = x < 0 ? -1 : 1
        x = (1 - x) * (1 + x)
        let log = T.logarithm(x)
        let v = 2 / (T(3.14159) * T(0.147)) + T(0.5) * log
        let v2 = 1 / T(0.147) * log
        let v3 = -v + (v * v - v2).squareRoot()
        return T(2).squareRoot() * sign * (v3 - v).squareRoot()
    }
}
