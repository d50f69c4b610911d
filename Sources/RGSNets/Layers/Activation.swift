#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import RGSNumerics

/// The nonlinearity a dense layer applies to its pre-activations, as Keras names them.
public enum Activation: String, Sendable, CaseIterable, Codable {
    case linear, tanh, sigmoid, relu, softmax

    /// The values this activation can output (nil: any real number).
    public var outputs: ClosedRange<Float>? {
        switch self {
        case .linear: return nil
        case .tanh: return -1...1
        case .sigmoid, .softmax: return 0...1
        case .relu: return 0...Float.infinity
        }
    }

    /// Applies the activation in place to `rows` rows of `width` pre-activations.
    func apply(_ z: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        let n = rows * width
        switch self {
        case .linear:
            return
        case .tanh:
            VectorMath.apply(z, count: n, VectorMath.tanh)
        case .sigmoid:
            VectorMath.apply(z, count: n, VectorMath.logistic)
        case .relu:
            for i in 0..<n { z[i] = max(z[i], 0) }
        case .softmax:
            for r in 0..<rows {
                let row = z + r * width
                var top = -Float.infinity
                for j in 0..<width { top = max(top, row[j]) }
                var sum: Float = 0
                for j in 0..<width {
                    row[j] = expf(row[j] - top)
                    sum += row[j]
                }
                let scale = 1 / sum
                for j in 0..<width { row[j] *= scale }
            }
        }
    }

    /// Turns dLoss/dOutput `g` into dLoss/dPre-activation in place, given the outputs `a` (every
    /// derivative here is a function of the output: tanh' = 1 - a^2, sigmoid' = a (1 - a),
    /// relu' = [a > 0], softmax: g_j -> a_j (g_j - sum_k g_k a_k)).
    func backward(_ g: UnsafeMutablePointer<Float>, outputs a: UnsafePointer<Float>, rows: Int, width: Int) {
        let n = rows * width
        switch self {
        case .linear:
            return
        case .tanh:
            for i in 0..<n { g[i] *= 1 - a[i] * a[i] }
        case .sigmoid:
            for i in 0..<n { g[i] *= a[i] * (1 - a[i]) }
        case .relu:
            for i in 0..<n where !(a[i] > 0) { g[i] = 0 }
        case .softmax:
            for r in 0..<rows {
                let gr = g + r * width, ar = a + r * width
                var dot: Float = 0
                for j in 0..<width { dot += gr[j] * ar[j] }
                for j in 0..<width { gr[j] = ar[j] * (gr[j] - dot) }
            }
        }
    }
}
