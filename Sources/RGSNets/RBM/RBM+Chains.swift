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
    /// statistics in slot `b` of the workspace (W's are left to the update when the workspace
    /// has `statisticsInUpdate`).
    ///
    /// Loads the block's data rows, then v0 -> h -> v1 -> ... -> vk (CD from the data, PCD from
    /// the persistent chains), each row drawing from streams (key, step, row), and leaves
    /// v0^T <h|v0> - vk^T <h|vk> (or what its product needs) and the column sums of v0 - vk and
    /// <h|v0> - <h|vk> for the update.
    /// Sampled units (and spin data) are two-valued, so every product but those with continuous
    /// data goes by table lookup (`TwoValuedProduct`) from their bits.
    func runChains(_ batch: RBMMinibatch, block b: Int, data: RBMRows, samples: ArraySlice<Int>) {
        let w = batch.workspace, n = visibleCount, m = hiddenCount, sv = w.visibleStride, sh = w.hiddenStride
        let range = w.plan.range(b, rows: batch.rows), first = range.lowerBound, rows = range.count
        let v0 = w.v0 + first * sv, h0 = w.h0 + first * sh, vm = w.vm + first * sv
        let vk = w.vk(batch.rows) + first * sv, hk = w.hk(batch.rows) + first * sh, chains = w.chains + first * sv
        let v0Bits = w.visibleBits + first * w.visibleWords, vkBits = v0Bits + batch.rows * w.visibleWords
        let wh = w.hiddenWords, hsBits = w.hiddenBits + first * wh
        func draw(_ step: Int, into: UnsafeMutablePointer<Float>?, bits: UnsafeMutablePointer<UInt64>, words: Int) -> RBMDraw {
            RBMDraw(key: batch.key, step: step, firstRow: first, into: into, bits: bits, wordsPerRow: words)
        }
        let block = samples.dropFirst(first).prefix(rows)
        let spinData = data.fillBits(block, into: v0Bits, wordsPerRow: w.visibleWords)
        // The products read the samples' bits: hidden samples are never needed as floats, and
        // visible ones only at the last step, to carry persistent chains or for the column sums
        // of continuous data.
        let vkFloats = batch.persistent || !spinData ? vk : nil
        let data0 = spinData ? v0Bits : nil
        // Spin data need their float rows only to start persistent chains.
        if !spinData || batch.persistent { data.fill(block, into: v0, stride: sv) }
        if batch.persistent {
            if batch.startChains { chains.update(from: v0, count: rows * sv) }
            hidden(v0, bits: data0, rows: rows, into: h0, workspace: w, draw: nil)
            BitRows.pack(chains, rows: rows, width: n, stride: sv, threshold: (1 + units.low) / 2, into: vkBits,
                         wordsPerRow: w.visibleWords)
            hidden(chains, bits: vkBits, rows: rows, into: hk, workspace: w, draw: draw(0, into: nil, bits: hsBits, words: wh))
        } else {
            hidden(v0, bits: data0, rows: rows, into: h0, workspace: w, draw: draw(0, into: nil, bits: hsBits, words: wh))
        }
        for s in 1...batch.k {
            // Ctrl-C ends a long chain at once: the step discards this minibatch's update (the
            // persistent chains keep the cut chain's last states, valid states of the model).
            let last = s == batch.k || Cancellation.isRequested
            visible(hsBits, rows: rows, into: vm, workspace: w,
                    draw: draw(2 * s - 1, into: last ? vkFloats : nil, bits: vkBits, words: w.visibleWords))
            hidden(vk, bits: vkBits, rows: rows, into: hk, workspace: w,
                   draw: last ? nil : draw(2 * s, into: nil, bits: hsBits, words: wh))
            if last { break }
        }
        if batch.persistent { chains.update(from: vk, count: rows * sv) }
        RBM.columnSums(h0, minus: hk, rows: rows, width: m, stride: sh, into: w.sumB + b * m)
        gradientStatistics(w, block: b, rows: rows, v0: v0, v0Bits: data0, vk: vk, vkBits: vkBits, h0: h0, hk: hk)
    }

    /// v0^T <h|v0> - vk^T <h|vk> of one block into its slot, by table lookup over the block's
    /// transposed bits (v0^T <h|v0> by sgemm when the data are continuous), and the column sums
    /// of v0 - vk: from the transposed bits' popcounts (exact integer counts) for spin data.
    /// Negates the block's <h|vk> when the block is the whole minibatch, whose product then
    /// waits for the update when the workspace has `statisticsInUpdate`.
    private func gradientStatistics(_ w: RBMWorkspace, block b: Int, rows: Int, v0: UnsafePointer<Float>,
                                    v0Bits: UnsafePointer<UInt64>?, vk: UnsafePointer<Float>, vkBits: UnsafePointer<UInt64>,
                                    h0: UnsafePointer<Float>, hk: UnsafeMutablePointer<Float>) {
        let n = visibleCount, m = hiddenCount, gradient = w.gradientW + b * n * m, parallel = !w.plan.blocksInParallel
        let sv = w.visibleWords, sh = w.hiddenStride, low = units.low, sums = w.sumC + b * n
        let v0T = w.transposedBits(block: b, vk: false)
        if let v0Bits, vkBits == v0Bits + rows * sv, UnsafePointer(hk) == h0 + rows * sh {
            // v0 and vk rows adjacent, and h0 and hk: one product over 2r rows, [v0; vk]^T [h0; -hk],
            // gives the n x m statistics in one pass instead of two.
            for r in 0..<rows { for a in 0..<m { hk[r * sh + a] = -hk[r * sh + a] } }
            let words = BitRows.words(2 * rows)
            BitRows.transpose(v0Bits, rows: 2 * rows, columns: n, wordsPerRow: sv, into: v0T, wordsPerColumn: words)
            if !w.statisticsInUpdate { w.pairedStatistics(rows: rows, low: low, into: .matrix(gradient, ldc: m)) }
            for i in 0..<n {
                let row = v0T + i * words
                sums[i] = (1 - low) * Float(BitRows.count(row, bits: 0..<rows) - BitRows.count(row, bits: rows..<(2 * rows)))
            }
            return
        }
        precondition(!w.statisticsInUpdate, "statistics in the update need the whole minibatch in one block of spin rows")
        let vkT = w.transposedBits(block: b, vk: true), bw = w.blockWords
        BitRows.transpose(vkBits, rows: rows, columns: n, wordsPerRow: sv, into: vkT, wordsPerColumn: bw)
        if let v0Bits {
            BitRows.transpose(v0Bits, rows: rows, columns: n, wordsPerRow: sv, into: v0T, wordsPerColumn: bw)
            TwoValuedProduct.multiply(rows: n, depth: rows, width: m, bits: v0T, wordsPerRow: bw, values: (1, low),
                                      h0, ldb: sh, paddedB: true, gradient, ldc: m, parallel: parallel)
            for i in 0..<n {
                sums[i] = (1 - low) * Float(BitRows.count(v0T + i * bw, bits: 0..<rows) - BitRows.count(vkT + i * bw, bits: 0..<rows))
            }
        } else {
            BLAS.product(n, m, rows, v0, lda: w.visibleStride, transA: true, h0, ldb: sh, gradient, ldc: m, parallel: parallel)
            RBM.columnSums(v0, minus: vk, rows: rows, width: n, stride: w.visibleStride, into: sums)
        }
        TwoValuedProduct.multiply(rows: n, depth: rows, width: m, bits: vkT, wordsPerRow: bw, values: (-1, -low),
                                  hk, ldb: sh, paddedB: true, gradient, ldc: m, accumulate: true, parallel: parallel)
    }

    /// <h | v> of `rows` workspace rows: products with W (by table lookup from `bits`, with the
    /// workspace's tables when the plan keeps them, or by sgemm for continuous rows without
    /// bits, whose workspaces keep W in the RBM), then the conditionals.
    private func hidden(_ v: UnsafePointer<Float>, bits: UnsafePointer<UInt64>?, rows: Int, into h: UnsafeMutablePointer<Float>,
                        workspace w: RBMWorkspace, draw: RBMDraw?) {
        let parallel = !w.plan.blocksInParallel
        if let bits, let tables = w.hiddenTables {
            TwoValuedProduct.multiply(rows: rows, bits: bits, wordsPerRow: w.visibleWords, tables: tables, h, ldc: w.hiddenStride,
                                      wholeSlices: true)
        } else if let bits {
            w.withWeights(of: self) { weights, panels in
                TwoValuedProduct.multiply(rows: rows, depth: visibleCount, width: hiddenCount, bits: bits, wordsPerRow: w.visibleWords,
                                          values: (1, units.low), weights, ldb: hiddenCount, panels: panels, h, ldc: w.hiddenStride,
                                          wholeSlices: true, parallel: parallel)
            }
        } else {
            precondition(w.panels == nil, "continuous rows train on the RBM's row-major weights")
            weights.withUnsafeBufferPointer {
                BLAS.product(rows, hiddenCount, visibleCount, v, lda: w.visibleStride, $0.baseAddress!, ldb: hiddenCount,
                             h, ldc: w.hiddenStride, parallel: parallel)
            }
        }
        conditionals(h, rows: rows, width: hiddenCount, stride: w.hiddenStride, bias: w.hiddenBias, draw: draw, parallel: parallel)
    }

    /// <v | h> of `rows` workspace rows from the bits of their hidden samples: products with
    /// W^T by table lookup (the workspace's tables when the plan keeps them), then the
    /// conditionals.
    private func visible(_ bits: UnsafePointer<UInt64>, rows: Int, into v: UnsafeMutablePointer<Float>, workspace w: RBMWorkspace,
                         draw: RBMDraw?) {
        let parallel = !w.plan.blocksInParallel, values = (set: Float(1), clear: units.low)
        if let tables = w.visibleTables {
            TwoValuedProduct.multiply(rows: rows, bits: bits, wordsPerRow: w.hiddenWords, tables: tables, v, ldc: w.visibleStride,
                                      wholeSlices: true)
        } else {
            w.withWeights(of: self) { weights, panels in
                TwoValuedProduct.multiply(rows: rows, depth: hiddenCount, width: visibleCount, bits: bits, wordsPerRow: w.hiddenWords,
                                          values: values, weights, ldb: hiddenCount, transposedB: true, panels: panels, v,
                                          ldc: w.visibleStride, wholeSlices: true, parallel: true)
            }
        }
        conditionals(v, rows: rows, width: visibleCount, stride: w.visibleStride, bias: w.visibleBias, draw: draw, parallel: parallel)
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
