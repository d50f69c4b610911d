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

    /// The same step for the parameters of rows `rows` (`width` apart) at the columns of slices
    /// `slices` (`TwoValuedProduct.sliceWidth` wide, cut at `width`), with their statistics in
    /// a tile handed over by the statistics product (`TwoValuedProduct.Destination`).
    func apply(tile s: UnsafePointer<Float>, rows: Range<Int>, slices: Range<Int>, width: Int, parameters x: UnsafeMutablePointer<Float>,
               velocity: UnsafeMutablePointer<Float>) {
        let sliceWidth = TwoValuedProduct.sliceWidth
        let first = slices.lowerBound * sliceWidth, columns = min(slices.count * sliceWidth, width - first)
        // Rows lie `width` floats apart, each in its own page for wide layers, where the hardware
        // prefetchers stop: their lines are asked for a few rows ahead.
        let ahead = 16
        for r in rows {
            if r + ahead < rows.upperBound {
                let row = (r + ahead) * width + first
                // Every 16th float and the last: each line of the (unaligned) segment.
                for column in stride(from: 0, through: columns + 15, by: 16) {
                    let c = min(column, columns - 1)
                    StreamingLoop.request(x + row + c)
                    StreamingLoop.request(velocity + row + c)
                }
            }
            let xr = x + r * width + first, vr = velocity + r * width + first
            for j in 0..<slices.count {
                let (x0, v0) = (xr + j * sliceWidth, vr + j * sliceWidth)
                let s0 = TwoValuedProduct.tileRow(s, r - rows.lowerBound, j)
                for i in 0..<min(sliceWidth, columns - j * sliceWidth) { (x0[i], v0[i]) = step(x0[i], v0[i], s0[i]) }
            }
        }
    }
}

extension RBM {
    /// Weights per worker item of the update of a large W (small ones take one pass).
    private static let updateChunk = 1 << 16

    /// Applies the minibatch's statistics left by `runChains` to W (with the penalties) and to
    /// the biases (without), then refreshes the workspace's copies of the parameters. With
    /// `statisticsInUpdate`, W's statistics are computed here, tile by tile into the step.
    mutating func update(_ w: RBMWorkspace, rows: Int, options: RBMTrainingOptions) {
        let n = visibleCount, m = hiddenCount, blocks = w.plan.blocks(rows: rows)
        let lr = options.learningRate, scale = lr / Float(rows)
        let rule = RBMUpdateRule(momentum: options.momentum, scale: scale, l1: lr * options.l1, l2: lr * options.l2)
        let low = units.low
        weights.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let x = buf.baseAddress!
            if w.statisticsInUpdate {
                w.pairedStatistics(rows: rows, low: low, into: .handOver { range, slices, tile in
                    rule.apply(tile: tile, rows: range, slices: slices, width: m, parameters: x, velocity: w.velocityW)
                })
                return
            }
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
