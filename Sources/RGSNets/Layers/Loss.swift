#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import RGSNumerics

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
    ///
    /// Summed in double precision over fixed blocks of about 16,384 outputs, in parallel, and
    /// the block sums added in order, so the total does not depend on the thread count; within
    /// a block four running sums break the chain of dependent additions (one sum took 4 cycles
    /// per output, 3% of a batch-1000 step on one thread while the other waited).
    func total(_ p: UnsafePointer<Float>, _ y: UnsafePointer<Float>, rows: Int, width: Int) -> Double {
        let n = rows * width, block = 1 << 14, blocks = (n + block - 1) / block
        var sums = [Double](repeating: 0, count: blocks)
        sums.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out.baseAddress!
            let (sp, sy) = (Shared(p), Shared(y))
            Parallel.forEach(blocks) { b in
                out[b] = self.sum(sp.pointer, sy.pointer, (b * block)..<min(n, (b + 1) * block))
            }
        }
        let sum = sums.reduce(0, +)
        return self == .categoricalCrossEntropy ? sum : sum / Double(width)
    }

    /// The loss terms of outputs `range`, summed.
    private func sum(_ p: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ range: Range<Int>) -> Double {
        switch self {
        case .mse:
            return Loss.sum(range) { i in
                let d = p[i] - y[i]
                return Double(d * d)
            }
        case .hinge:
            // max(margin, 0), not max(0, margin): Swift's max keeps its first argument when the
            // second is NaN, and a NaN output must make the loss NaN.
            return Loss.sum(range) { i in Double(max(1 - y[i] * p[i], 0)) }
        case .binaryCrossEntropy:
            return Loss.sum(range) { i in
                let q = Double(min(max(p[i], Loss.clip), 1 - Loss.clip))
                return -(Double(y[i]) * log(q) + Double(1 - y[i]) * log(1 - q))
            }
        case .categoricalCrossEntropy:
            return Loss.sum(range) { i in y[i] == 0 ? 0 : -Double(y[i]) * log(Double(max(p[i], Loss.clip))) }
        }
    }

    /// term(i) summed over `range` with four running sums, added at the end.
    @inline(__always)
    private static func sum(_ range: Range<Int>, _ term: (Int) -> Double) -> Double {
        var (a, b, c, d) = (0.0, 0.0, 0.0, 0.0)
        var i = range.lowerBound
        while i + 4 <= range.upperBound {
            a += term(i)
            b += term(i + 1)
            c += term(i + 2)
            d += term(i + 3)
            i += 4
        }
        while i < range.upperBound {
            a += term(i)
            i += 1
        }
        return (a + b) + (c + d)
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
