import RGSNumerics

/// How training turns gradients into weight updates, with Keras's update rules and defaults.
///
/// - `sgd`: with momentum mu, v <- mu v - lr g, w <- w + v (plain w <- w - lr g for mu = 0).
/// - `adam`: m <- b1 m + (1 - b1) g, v <- b2 v + (1 - b2) g^2,
///   w <- w - lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps), t = 1, 2, ... (Keras's form:
///   eps is added to the uncorrected sqrt(v), "epsilon hat" of Kingma & Ba). Keras defaults:
///   lr 0.001, b1 0.9, b2 0.999, eps 1e-7.
public enum Optimizer: Sendable, Equatable {
    case sgd(learningRate: Float = 0.01, momentum: Float = 0)
    case adam(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7)

    /// The step size.
    public var learningRate: Float {
        switch self {
        case .sgd(let lr, _), .adam(let lr, _, _, _): return lr
        }
    }

    /// The same optimizer with step size `rate` (its other hyper-parameters kept).
    public func with(learningRate rate: Float) -> Optimizer {
        switch self {
        case .sgd(_, let mu): return .sgd(learningRate: rate, momentum: mu)
        case .adam(_, let b1, let b2, let eps): return .adam(learningRate: rate, beta1: b1, beta2: b2, epsilon: eps)
        }
    }

    /// "adam(lr 0.001)", "sgd(lr 0.01, momentum 0.9)".
    public var summary: String {
        switch self {
        // As typed (10, not Swift's 10.0), the shortest decimal of each float.
        case .sgd(let lr, let mu):
            return "sgd(lr \(formatNumber(decimal(lr)))" + (mu == 0 ? "" : ", momentum \(formatNumber(decimal(mu)))") + ")"
        case .adam(let lr, _, _, _): return "adam(lr \(formatNumber(decimal(lr))))"
        }
    }

    /// Throws unless the hyper-parameters are usable.
    func validate() throws(CoreError) {
        guard learningRate > 0, learningRate.isFinite else {
            throw CoreError("the learning rate must be positive (got \(formatNumber(decimal(learningRate))))")
        }
        switch self {
        case .sgd(_, let mu):
            guard mu >= 0, mu < 1 else { throw CoreError("momentum must be in [0, 1) (got \(formatNumber(decimal(mu))))") }
        case .adam(_, let b1, let b2, let eps):
            guard b1 >= 0, b1 < 1, b2 >= 0, b2 < 1 else {
                throw CoreError("Adam's beta1 and beta2 must be in [0, 1) (got \(b1), \(b2))")
            }
            guard eps > 0 else { throw CoreError("Adam's epsilon must be positive (got \(formatNumber(decimal(eps))))") }
        }
    }

    /// The step size of update number `step` (from 1): lr for SGD, Adam's bias-corrected
    /// lr sqrt(1 - b2^t) / (1 - b1^t).
    func stepSize(_ step: Int) -> Float {
        switch self {
        case .sgd(let lr, _):
            return lr
        case .adam(let lr, let b1, let b2, _):
            let t = Double(step)
            return Float(Double(lr) * (1 - pow(Double(b2), t)).squareRoot() / (1 - pow(Double(b1), t)))
        }
    }

    /// One update of `count` parameters `w` from gradients `g` of the data loss; the penalty
    /// gradient l1 sign(w) + 2 l2 w is added here. `m` and `v` are this parameter array's moment
    /// buffers (v unused by SGD); `stepSize` is `stepSize(t)` of this update.
    ///
    /// The arrays stream through `StreamingLoop` (requested a page ahead). Adam's updates
    /// are written for few operations per parameter, since at small batches they take most of a
    /// step: (g - m)(1 - b1) is added to m, (g^2 - v)(1 - b2) to v and -alpha (m / (sqrt(v) +
    /// eps)) to w each in one fused multiply-add (rounded once, not twice); the L1 term is
    /// l1 with w's sign (0 at w = 0), and the L2 term is left out when l2 is 0. On a Zen3 core
    /// the update of 8 parameters in L1 took 9 cycles instead of 12.
    func update(_ w: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>, count: Int,
                l1: Float, l2: Float, m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
                stepSize: Float) {
        let twoL2 = 2 * l2
        switch self {
        case .sgd(_, let mu):
            let lr = stepSize
            StreamingLoop.run(count: count, streaming: w, mu == 0 ? nil : m) { i in
                let grad = g[i] + signed(l1, w[i]) + twoL2 * w[i]
                if mu == 0 {
                    w[i] -= lr * grad
                } else {
                    m[i] = mu * m[i] - lr * grad
                    w[i] += m[i]
                }
            }
        case .adam(_, let b1, let b2, let eps):
            let c1 = 1 - b1, c2 = 1 - b2
            @inline(__always) func adam(_ i: Int, _ grad: Float) {
                let mi = m[i].addingProduct(grad - m[i], c1)
                let vi = v[i].addingProduct(grad * grad - v[i], c2)
                m[i] = mi
                v[i] = vi
                w[i] = w[i].addingProduct(-stepSize, mi / (vi.squareRoot() + eps))
            }
            if l2 == 0 {
                StreamingLoop.run(count: count, streaming: w, m, v) { i in adam(i, g[i] + signed(l1, w[i])) }
            } else {
                StreamingLoop.run(count: count, streaming: w, m, v) { i in adam(i, g[i] + signed(l1, w[i]) + twoL2 * w[i]) }
            }
        }
    }
}

/// l1 sign(x) for l1 >= 0, with sign(0) = 0 as TensorFlow's L1 gradient uses: l1 with x's sign
/// bit, 0 at x = 0 (two bit operations and a select, where l1 times sign(x) takes two
/// comparisons, a select and a multiply).
@inline(__always)
private func signed(_ l1: Float, _ x: Float) -> Float {
    x == 0 ? 0 : Float(signOf: x, magnitudeOf: l1)
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
