import RGSNumerics

/// The momentum step of one parameter group: velocity = momentum velocity + scale statistics
/// - (l2 x + l1 sign x), then x += velocity (see `RBMTrainingOptions`).
struct RBMUpdateRule: Sendable {
    let momentum, scale, l1, l2: Float

    /// Sums the `blocks` partial statistics (`stride` apart) into the first in block order, then
    /// updates velocities and parameters at the indices `range`; one fused pass per index.
    func apply(_ range: Range<Int>, parameters x: UnsafeMutablePointer<Float>, velocity: UnsafeMutablePointer<Float>,
               statistics s: UnsafeMutablePointer<Float>, blocks: Int, stride: Int) {
        for b in 1..<max(1, blocks) {
            let partial = s + b * stride
            for j in range { s[j] += partial[j] }
        }
        let (x0, v0, s0) = (x + range.lowerBound, velocity + range.lowerBound, s + range.lowerBound)
        StreamingLoop.run(count: range.count, streaming: x0, v0, s0) { j in
            let w = x0[j]
            let sign: Float = w > 0 ? 1 : (w < 0 ? -1 : 0)
            let v = momentum * v0[j] + scale * s0[j] - (l2 * w + l1 * sign)
            v0[j] = v
            x0[j] = w + v
        }
    }
}

extension RBM {
    /// Weights per worker item of the update of a large W (small ones take one pass).
    private static let updateChunk = 1 << 16

    /// Applies the minibatch's statistics left by `runChains` to W (with the penalties) and to
    /// the biases (without), then refreshes the workspace's copies of the parameters.
    mutating func update(_ w: RBMWorkspace, rows: Int, options: RBMTrainingOptions) {
        let n = visibleCount, m = hiddenCount, blocks = w.plan.blocks(rows: rows)
        let lr = options.learningRate, scale = lr / Float(rows)
        let rule = RBMUpdateRule(momentum: options.momentum, scale: scale, l1: lr * options.l1, l2: lr * options.l2)
        weights.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let x = buf.baseAddress!
            let count = n * m, chunk = RBM.updateChunk
            Parallel.forEach((count + chunk - 1) / chunk) { c in
                rule.apply((c * chunk)..<min(count, (c + 1) * chunk), parameters: x, velocity: w.velocityW,
                           statistics: w.gradientW, blocks: blocks, stride: count)
            }
        }
        let plain = RBMUpdateRule(momentum: options.momentum, scale: scale, l1: 0, l2: 0)
        visibleBias.withUnsafeMutableBufferPointer {
            plain.apply(0..<n, parameters: $0.baseAddress!, velocity: w.velocityC, statistics: w.sumC, blocks: blocks, stride: n)
        }
        hiddenBias.withUnsafeMutableBufferPointer {
            plain.apply(0..<m, parameters: $0.baseAddress!, velocity: w.velocityB, statistics: w.sumB, blocks: blocks, stride: m)
        }
        w.load(self)
    }
}
