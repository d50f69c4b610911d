import RGSNumerics

/// The momentum step of one parameter group: velocity = momentum velocity + scale statistics
/// - (l2 x + l1 sign x), then x += velocity (see `RBMTrainingOptions`).
struct RBMUpdateRule: Sendable {
    let momentum, scale, l1, l2: Float

    /// The step of one parameter x with velocity v and statistic s: the new (x, v).
    @inline(__always)
    func step(_ x: Float, _ v: Float, _ s: Float) -> (Float, Float) {
        let sign: Float = x > 0 ? 1 : (x < 0 ? -1 : 0)
        let velocity = momentum * v + scale * s - (l2 * x + l1 * sign)
        return (x + velocity, velocity)
    }

    /// Sums the `blocks` partial statistics (`stride` apart) into the first in block order, then
    /// updates velocities and parameters at the indices `range`; one fused pass per index.
    func apply(_ range: Range<Int>, parameters x: UnsafeMutablePointer<Float>, velocity: UnsafeMutablePointer<Float>,
               statistics s: UnsafeMutablePointer<Float>, blocks: Int, stride: Int) {
        for b in 1..<max(1, blocks) {
            let partial = s + b * stride
            for j in range { s[j] += partial[j] }
        }
        let (x0, v0, s0) = (x + range.lowerBound, velocity + range.lowerBound, s + range.lowerBound)
        StreamingLoop.run(count: range.count, streaming: x0, v0, s0) { j in (x0[j], v0[j]) = step(x0[j], v0[j], s0[j]) }
    }

    /// The same step for the parameters of rows `rows` at the columns of slices `slices`, held
    /// (as their velocities) in `panels`, with their statistics in a tile handed over by the
    /// statistics product (`TwoValuedProduct.Destination`).
    func apply(tile s: UnsafePointer<Float>, rows: Range<Int>, slices: Range<Int>, panels: Panels,
               parameters x: UnsafeMutablePointer<Float>, velocity: UnsafeMutablePointer<Float>) {
        let sliceWidth = Panels.width
        // A slice's rows are one stream in its panel, which crosses a 4 KB page every 32 rows,
        // where the prefetchers may stop: the lines a page ahead are asked for.
        let ahead = StreamingLoop.distance / sliceWidth
        for (j, slice) in slices.enumerated() {
            let first = slice * sliceWidth, columns = min(sliceWidth, panels.columns - first)
            let start = panels.offset(rows.lowerBound, first)
            let (x0, v0) = (x + start, velocity + start)
            for r in 0..<rows.count {
                if r + ahead < rows.count {
                    for line in stride(from: (r + ahead) * sliceWidth, to: (r + ahead + 1) * sliceWidth, by: 16) {
                        StreamingLoop.request(x0 + line)
                        StreamingLoop.request(v0 + line)
                    }
                }
                let (xr, vr, sr) = (x0 + r * sliceWidth, v0 + r * sliceWidth, TwoValuedProduct.tileRow(s, r, j))
                for i in 0..<columns { (xr[i], vr[i]) = step(xr[i], vr[i], sr[i]) }
            }
        }
    }
}

extension RBM {
    /// Weights per worker item of the update of a large W (small ones take one pass).
    private static let updateChunk = 1 << 16

    /// Applies the minibatch's statistics left by `runChains` to W (with the penalties) and to
    /// the biases (without), then refreshes the workspace's copies of the parameters. With
    /// `statisticsInUpdate`, W's statistics are computed here, tile by tile into the step on the
    /// workspace's panels of W.
    mutating func update(_ w: RBMWorkspace, rows: Int, options: RBMTrainingOptions) {
        let n = visibleCount, m = hiddenCount, blocks = w.plan.blocks(rows: rows)
        let lr = options.learningRate, scale = lr / Float(rows)
        let rule = RBMUpdateRule(momentum: options.momentum, scale: scale, l1: lr * options.l1, l2: lr * options.l2)
        if let panels = w.panels {
            w.pairedStatistics(rows: rows, low: units.low, into: .handOver { range, slices, tile in
                rule.apply(tile: tile, rows: range, slices: slices, panels: panels, parameters: w.weightPanels, velocity: w.velocityW)
            })
        } else {
            weights.withUnsafeMutableBufferPointer { buf in
                nonisolated(unsafe) let x = buf.baseAddress!
                let count = n * m, chunk = RBM.updateChunk
                Parallel.forEach((count + chunk - 1) / chunk) { c in
                    rule.apply((c * chunk)..<min(count, (c + 1) * chunk), parameters: x, velocity: w.velocityW,
                               statistics: w.gradientW, blocks: blocks, stride: count)
                }
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
