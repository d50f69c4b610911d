import RGSNumerics

/// One minibatch of CD-k / PCD-k training: its rows in the workspace and the key of its draws.
struct RBMMinibatch: Sendable {
    let workspace: RBMWorkspace
    /// Training rows in this minibatch (the last one of an epoch may be short).
    let rows: Int
    /// Seed of the row streams (key, Gibbs step, row) of this minibatch.
    let key: UInt64
    /// Gibbs steps per update.
    let k: Int
    /// Persistent CD: the chains continue from the previous minibatch's last samples.
    let persistent: Bool
    /// PCD only: the chains start from this minibatch's data (the first minibatch of a run).
    let startChains: Bool
}

extension RBM {
    /// Runs the Gibbs chains of the minibatch's block `b` and stores the block's gradient
    /// statistics in slot `b` of the workspace.
    ///
    /// Loads the block's data rows, then v0 -> h -> v1 -> ... -> vk (CD from the data, PCD from
    /// the persistent chains), each row drawing from streams (key, step, row), and leaves
    /// v0^T <h|v0> - vk^T <h|vk> and the column sums of v0 - vk and <h|v0> - <h|vk> for the update.
    func runChains(_ batch: RBMMinibatch, block b: Int, data: RBMRows, samples: ArraySlice<Int>) {
        let w = batch.workspace, n = visibleCount, m = hiddenCount
        let range = w.plan.range(b, rows: batch.rows), first = range.lowerBound, rows = range.count
        let parallel = !w.plan.blocksInParallel
        let transposed = w.plan.blocksInParallel ? UnsafePointer(w.weightsT) : nil
        let v0 = w.v0 + first * n, h0 = w.h0 + first * m, hs = w.hs + first * m, vm = w.vm + first * n
        let vk = w.vk(batch.rows) + first * n, hk = w.hk(batch.rows) + first * m, chains = w.chains + first * n
        func draw(_ step: Int, into: UnsafeMutablePointer<Float>) -> RBMDraw {
            RBMDraw(key: batch.key, step: step, firstRow: first, into: into)
        }
        data.fill(samples.dropFirst(first).prefix(rows), into: v0)
        if batch.persistent {
            if batch.startChains { chains.update(from: v0, count: rows * n) }
            hiddenMeans(v0, rows: rows, into: h0, parallel: parallel)
            hiddenMeans(chains, rows: rows, into: hk, draw: draw(0, into: hs), parallel: parallel)
        } else {
            hiddenMeans(v0, rows: rows, into: h0, draw: draw(0, into: hs), parallel: parallel)
        }
        for s in 1...batch.k {
            visibleMeans(hs, rows: rows, into: vm, draw: draw(2 * s - 1, into: vk), transposed: transposed, parallel: parallel)
            hiddenMeans(vk, rows: rows, into: hk, draw: s < batch.k ? draw(2 * s, into: hs) : nil, parallel: parallel)
        }
        if batch.persistent { chains.update(from: vk, count: rows * n) }
        let gradient = w.gradientW + b * n * m
        BLAS.sgemm(n, m, rows, v0, transA: true, h0, gradient)
        BLAS.sgemm(n, m, rows, vk, transA: true, hk, gradient, alpha: -1, beta: 1)
        RBM.columnSums(v0, minus: vk, rows: rows, width: n, into: w.sumC + b * n)
        RBM.columnSums(h0, minus: hk, rows: rows, width: m, into: w.sumB + b * m)
    }

    /// Column sums of x - y over `rows` rows, in row order.
    private static func columnSums(_ x: UnsafePointer<Float>, minus y: UnsafePointer<Float>, rows: Int, width: Int,
                                   into out: UnsafeMutablePointer<Float>) {
        out.update(repeating: 0, count: width)
        for r in 0..<rows {
            let xr = x + r * width, yr = y + r * width
            for i in 0..<width { out[i] += xr[i] - yr[i] }
        }
    }
}
