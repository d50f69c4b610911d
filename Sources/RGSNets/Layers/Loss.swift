#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A training loss, defined as Keras defines it and averaged over the minibatch.
///
/// - `mse`: mean over outputs of (y - p)^2.
/// - `hinge`: mean over outputs of max(0, 1 - y p), for targets y = +-1 (the autoencoder paper's
///   loss on spin lattices).
/// - `binaryCrossEntropy`: -mean over outputs of y log p + (1 - y) log(1 - p), p clipped to
///   [1e-7, 1 - 1e-7], for targets in [0, 1] (use a sigmoid output).
/// - `categoricalCrossEntropy`: -sum over classes of y log p, p clipped to [1e-7, 1], for one-hot
///   targets (use a softmax output).
public enum Loss: String, Sendable, CaseIterable, Codable {
    case mse, hinge, binaryCrossEntropy, categoricalCrossEntropy

    private static let clip: Float = 1e-7

    /// The summed (not yet averaged over rows) loss of `rows` predictions `p` against targets `y`.
    func total(_ p: UnsafePointer<Float>, _ y: UnsafePointer<Float>, rows: Int, width: Int) -> Double {
        let n = rows * width
        var sum = 0.0
        switch self {
        case .mse:
            for i in 0..<n {
                let d = p[i] - y[i]
                sum += Double(d * d)
            }
        case .hinge:
            // max(margin, 0), not max(0, margin): Swift's max keeps its first argument when the
            // second is NaN, and a NaN output must make the loss NaN.
            for i in 0..<n { sum += Double(max(1 - y[i] * p[i], 0)) }
        case .binaryCrossEntropy:
            for i in 0..<n {
                let q = Double(min(max(p[i], Loss.clip), 1 - Loss.clip))
                sum -= Double(y[i]) * log(q) + Double(1 - y[i]) * log(1 - q)
            }
        case .categoricalCrossEntropy:
            for i in 0..<n where y[i] != 0 {
                sum -= Double(y[i]) * log(Double(max(p[i], Loss.clip)))
            }
        }
        return self == .categoricalCrossEntropy ? sum : sum / Double(width)
    }

    /// Writes dLoss/dp of the batch-mean loss into `g` (rows x width).
    func gradient(_ p: UnsafePointer<Float>, _ y: UnsafePointer<Float>, into g: UnsafeMutablePointer<Float>,
                  rows: Int, width: Int) {
        let n = rows * width
        let scale = 1 / Float(self == .categoricalCrossEntropy ? rows : rows * width)
        switch self {
        case .mse:
            for i in 0..<n { g[i] = 2 * scale * (p[i] - y[i]) }
        case .hinge:
            for i in 0..<n { g[i] = 1 - y[i] * p[i] > 0 ? -scale * y[i] : 0 }
        case .binaryCrossEntropy:
            for i in 0..<n {
                let q = min(max(p[i], Loss.clip), 1 - Loss.clip)
                g[i] = scale * ((1 - y[i]) / (1 - q) - y[i] / q)
            }
        case .categoricalCrossEntropy:
            for i in 0..<n { g[i] = y[i] == 0 ? 0 : -scale * y[i] / max(p[i], Loss.clip) }
        }
    }
}
