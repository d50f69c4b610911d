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
        let w = batch.workspace, n = visibleCount, m = hiddenCount, sv = w.visibleStride, sh = w.hiddenStride
        let range = w.plan.range(b, rows: batch.rows), first = range.lowerBound, rows = range.count
        let v0 = w.v0 + first * sv, h0 = w.h0 + first * sh, hs = w.hs + first * sh, vm = w.vm + first * sv
        let vk = w.vk(batch.rows) + first * sv, hk = w.hk(batch.rows) + first * sh, chains = w.chains + first * sv
        func draw(_ step: Int, into: UnsafeMutablePointer<Float>) -> RBMDraw {
            RBMDraw(key: batch.key, step: step, firstRow: first, into: into)
        }
        data.fill(samples.dropFirst(first).prefix(rows), into: v0, stride: sv)
        if batch.persistent {
            if batch.startChains { chains.update(from: v0, count: rows * sv) }
            hidden(v0, rows: rows, into: h0, workspace: w, draw: nil)
            hidden(chains, rows: rows, into: hk, workspace: w, draw: draw(0, into: hs))
        } else {
            hidden(v0, rows: rows, into: h0, workspace: w, draw: draw(0, into: hs))
        }
        for s in 1...batch.k {
            visible(hs, rows: rows, into: vm, workspace: w, draw: draw(2 * s - 1, into: vk))
            hidden(vk, rows: rows, into: hk, workspace: w, draw: s < batch.k ? draw(2 * s, into: hs) : nil)
        }
        if batch.persistent { chains.update(from: vk, count: rows * sv) }
        RBM.columnSums(v0, minus: vk, rows: rows, width: n, stride: sv, into: w.sumC + b * n)
        RBM.columnSums(h0, minus: hk, rows: rows, width: m, stride: sh, into: w.sumB + b * m)
        let gradient = w.gradientW + b * n * m
        if rows == batch.rows {
            // One block: v0 and vk, h0 and hk are adjacent, so [v0; vk]^T [h0; -hk] is one product
            // over 2r rows, one pass over the n x m result instead of two (large layers).
            for r in 0..<rows {
                let row = hk + r * sh
                for a in 0..<m { row[a] = -row[a] }
            }
            BLAS.product(n, m, 2 * rows, v0, lda: sv, transA: true, h0, ldb: sh, gradient, ldc: m,
                         parallel: !w.plan.blocksInParallel)
        } else {
            BLAS.sgemm(n, m, rows, v0, lda: sv, transA: true, h0, ldb: sh, gradient, ldc: m)
            BLAS.sgemm(n, m, rows, vk, lda: sv, transA: true, hk, ldb: sh, gradient, ldc: m, alpha: -1, beta: 1)
        }
    }

    /// <h | v> of `rows` workspace rows (products with W, then the conditionals).
    private func hidden(_ v: UnsafePointer<Float>, rows: Int, into h: UnsafeMutablePointer<Float>, workspace w: RBMWorkspace,
                        draw: RBMDraw?) {
        weights.withUnsafeBufferPointer {
            BLAS.product(rows, hiddenCount, visibleCount, v, lda: w.visibleStride, $0.baseAddress!, ldb: hiddenCount,
                         h, ldc: w.hiddenStride, parallel: !w.plan.blocksInParallel)
        }
        conditionals(h, rows: rows, width: hiddenCount, stride: w.hiddenStride, bias: w.hiddenBias, draw: draw,
                     parallel: !w.plan.blocksInParallel)
    }

    /// <v | h> of `rows` workspace rows: products with W^T (the workspace's copy when the plan
    /// keeps one, a plain product being faster than a transposed one), then the conditionals.
    private func visible(_ h: UnsafePointer<Float>, rows: Int, into v: UnsafeMutablePointer<Float>, workspace w: RBMWorkspace,
                         draw: RBMDraw?) {
        if w.plan.blocksInParallel {
            BLAS.sgemm(rows, visibleCount, hiddenCount, h, lda: w.hiddenStride, w.weightsT, ldb: visibleCount,
                       v, ldc: w.visibleStride)
        } else {
            weights.withUnsafeBufferPointer {
                BLAS.product(rows, visibleCount, hiddenCount, h, lda: w.hiddenStride, $0.baseAddress!, ldb: hiddenCount,
                             transB: true, v, ldc: w.visibleStride)
            }
        }
        conditionals(v, rows: rows, width: visibleCount, stride: w.visibleStride, bias: w.visibleBias, draw: draw,
                     parallel: !w.plan.blocksInParallel)
    }

    /// Column sums of x - y over `rows` rows (`stride` floats apart), in row order.
    private static func columnSums(_ x: UnsafePointer<Float>, minus y: UnsafePointer<Float>, rows: Int, width: Int,
                                   stride: Int, into out: UnsafeMutablePointer<Float>) {
        out.update(repeating: 0, count: width)
        for r in 0..<rows {
            let xr = x + r * stride, yr = y + r * stride
            for i in 0..<width { out[i] += xr[i] - yr[i] }
        }
    }
}
