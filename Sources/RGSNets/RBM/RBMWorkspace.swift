import RGSNumerics
import RGSPhysics

/// Preallocated minibatch buffers of one training run (no allocation inside the batch loop).
///
/// Rows are padded to a multiple of 32 floats (`visibleStride`, `hiddenStride`), and the biases
/// are kept in padded copies, so the conditionals work in whole 16-lane chunks and the products
/// write whole 32-column slices (`TwoValuedProduct`); the padding columns hold products with
/// zero weights and never reach the statistics.
/// Shared by the workers of one minibatch, each of which writes only its own block's rows and
/// its own block's partial sums, so it is `@unchecked Sendable`.
final class RBMWorkspace: @unchecked Sendable {
    let batch: Int
    let plan: RBMBlockPlan
    /// Units per visible and hidden row, and the padded row strides.
    let visible, hidden, visibleStride, hiddenStride: Int
    /// Data rows v0 (rows 0..<r of a minibatch of r rows) and the chain's last visible samples
    /// vk (rows r..<2r; written only for persistent chains or continuous data, the products
    /// read the samples' bits).
    let visiblePair: UnsafeMutablePointer<Float>
    /// Means <h|v0> (rows 0..<r) and <h|vk> (rows r..<2r; negated for the statistics product
    /// when the minibatch is one block of spin rows, see `pairedStatistics`).
    let hiddenPair: UnsafeMutablePointer<Float>
    /// Visible means of the Gibbs chain (its samples go to the bits, and for persistent chains
    /// or continuous data to `vk`).
    let vm: UnsafeMutablePointer<Float>
    /// Persistent chains (visible states) for PCD.
    let chains: UnsafeMutablePointer<Float>
    /// Momentum velocities of W (in `panels` when the workspace keeps W so, else row-major), c, b.
    let velocityW, velocityC, velocityB: UnsafeMutablePointer<Float>
    /// Per block: v0^T <h|v0> - vk^T <h|vk> (n x m) and the column sums of v0 - vk (n) and of
    /// <h|v0> - <h|vk> (m), summed over the blocks in block order by the update. With
    /// `statisticsInUpdate`, W's statistics never take memory (`gradientW` is unused).
    let gradientW, sumC, sumB: UnsafeMutablePointer<Float>
    /// Whether W's statistics are computed by the update itself, tile by tile into the weight
    /// step: for two-valued data when the plan runs whole minibatches as one block (large
    /// layers), whose statistics product is [v0; vk]^T [<h|v0>; -<h|vk>] (`pairedStatistics`).
    /// Training then keeps W in panels.
    var statisticsInUpdate: Bool { panels != nil }
    /// With `statisticsInUpdate`, training keeps W in `weightPanels` in this layout (n x m;
    /// see `loadWeights` and `storeWeights`): each slice of the products is then one stream
    /// where, read in place, it is 128 bytes of every row of W, each in its own page. Such
    /// workspaces keep no lookup tables (those are for parallel blocks), which `load` builds
    /// from the RBM's own weights.
    let panels: Panels?
    /// W in `panels` (one float when there are none).
    let weightPanels: UnsafeMutablePointer<Float>
    /// c and b, zero-padded to the row strides.
    let visibleBias, hiddenBias: UnsafeMutablePointer<Float>
    /// Lookup tables of W and W^T for the hidden and visible products, rebuilt after every
    /// update when the plan's blocks run in parallel (the blocks share them) and they fit.
    let hiddenTables, visibleTables: TwoValuedTables?
    /// Words per row of visible and hidden bits, and per visible unit of a block's transposed bits.
    let visibleWords, hiddenWords, blockWords: Int
    /// Bits of the visible rows (v0, then vk, as in `visiblePair`) and of the hidden samples.
    let visibleBits, hiddenBits: UnsafeMutablePointer<UInt64>
    /// Per block: the transposed bits of its v0 rows and of its vk rows (n rows of
    /// `blockWords` words each), the two-valued factors of its gradient statistics.
    let transposedBits: UnsafeMutablePointer<UInt64>
    private let all: [UnsafeMutablePointer<Float>]

    /// About the bytes a workspace takes, as `init` allocates them (rows, velocities, W in
    /// panels or else the blocks' gradients, lookup tables of at most 2^23 floats each), plus the
    /// copy of the weights training keeps. Checked against the free memory before one is made.
    static func bytes(batch: Int, visible n: Int, hidden m: Int, twoValuedData: Bool) -> Double {
        let plan = RBMBlockPlan(visible: n, hidden: m, batch: batch)
        let blocks = Double(plan.blocks(rows: batch)), weights = Double(n) * Double(m)
        let (sv, sh, rows) = (Double((n + 31) / 32 * 32), Double((m + 31) / 32 * 32), Double(batch))
        let panelled = twoValuedData && !plan.blocksInParallel
        // Velocities and W's panels, or velocities and the blocks' gradients.
        let matrices = panelled ? 2 * Double(Panels(rows: n, columns: m).count) : (1 + blocks) * weights
        let tables = plan.blocksInParallel ? 2 * Double(1 << 23) : 0
        let floats = rows * (4 * sv + 2 * sh) + weights + matrices + blocks * Double(n + m) + tables
        return Double(MemoryLayout<Float>.stride) * floats
    }

    init(batch: Int, visible n: Int, hidden m: Int, twoValuedData: Bool) {
        // Cache-line aligned: the blocks' rows start on whole lines, which the workers never share.
        func buffer(_ count: Int) -> UnsafeMutablePointer<Float> { BufferPool.zeros(count) }
        func words(_ count: Int) -> UnsafeMutablePointer<UInt64> { BufferPool.zeros(count) }
        (self.batch, visible, hidden) = (batch, n, m)
        (visibleStride, hiddenStride) = ((n + 31) / 32 * 32, (m + 31) / 32 * 32)
        let sv = visibleStride, sh = hiddenStride
        plan = RBMBlockPlan(visible: n, hidden: m, batch: batch)
        let blocks = plan.blocks(rows: batch)
        (visiblePair, hiddenPair, vm) = (buffer(2 * batch * sv), buffer(2 * batch * sh), buffer(batch * sv))
        chains = buffer(batch * sv)
        panels = twoValuedData && !plan.blocksInParallel ? Panels(rows: n, columns: m) : nil
        weightPanels = buffer(panels?.count ?? 1)
        (velocityW, velocityC, velocityB) = (buffer(panels?.count ?? n * m), buffer(n), buffer(m))
        (gradientW, sumC, sumB) = (buffer(panels != nil ? 1 : blocks * n * m), buffer(blocks * n), buffer(blocks * m))
        (visibleBias, hiddenBias) = (buffer(sv), buffer(sh))
        let shared = plan.blocksInParallel && TwoValuedTables.fit(depth: n, width: m) && TwoValuedTables.fit(depth: m, width: n)
        (hiddenTables, visibleTables) = shared ? (TwoValuedTables(depth: n, width: m), TwoValuedTables(depth: m, width: n)) : (nil, nil)
        (visibleWords, hiddenWords, blockWords) = (BitRows.words(n), BitRows.words(m), BitRows.words(plan.rowsPerBlock))
        (visibleBits, hiddenBits) = (words(2 * batch * visibleWords), words(batch * hiddenWords))
        transposedBits = words(blocks * 2 * n * blockWords)
        all = [visiblePair, hiddenPair, vm, chains, velocityW, velocityC, velocityB, gradientW, sumC, sumB,
               visibleBias, hiddenBias, weightPanels]
    }

    /// Data rows v0 and their hidden means.
    var v0: UnsafeMutablePointer<Float> { visiblePair }
    var h0: UnsafeMutablePointer<Float> { hiddenPair }
    /// The chain's last visible sample (see `visiblePair`) and hidden means for a batch of `rows`.
    func vk(_ rows: Int) -> UnsafeMutablePointer<Float> { visiblePair + rows * visibleStride }
    func hk(_ rows: Int) -> UnsafeMutablePointer<Float> { hiddenPair + rows * hiddenStride }

    /// Copies the RBM's biases into the padded ones and, when the plan keeps them, rebuilds the
    /// lookup tables of W.
    func load(_ rbm: RBM) {
        visibleBias.update(from: rbm.visibleBias, count: visible)
        hiddenBias.update(from: rbm.hiddenBias, count: hidden)
        guard let hiddenTables, let visibleTables else { return }
        let values = (set: Float(1), clear: rbm.units.low)
        let ldb = hidden
        rbm.weights.withUnsafeBufferPointer { w in
            nonisolated(unsafe) let p = w.baseAddress!
            let build: @Sendable (Int) -> Void = { table in
                if table == 0 {
                    hiddenTables.build(p, ldb: ldb, values: values)
                } else {
                    visibleTables.build(p, ldb: ldb, transposedB: true, values: values)
                }
            }
            // Small tables build within one worker each (see `parallelBuild`): build the two at once.
            if visible * hidden < TwoValuedTables.parallelBuild { Parallel.forEach(2, build) } else { build(0); build(1) }
        }
    }

    /// Copies the RBM's W into the panels, when the workspace keeps W there.
    func loadWeights(_ rbm: RBM) {
        guard let panels else { return }
        rbm.weights.withUnsafeBufferPointer { panels.pack($0.baseAddress!, into: weightPanels) }
    }

    /// Copies W from the panels, when the workspace keeps W there, into `weights`.
    func storeWeights(into weights: inout [Float]) {
        guard let panels else { return }
        weights.withUnsafeMutableBufferPointer { panels.unpack(weightPanels, into: $0.baseAddress!) }
    }

    /// Calls `body` with W as the products read it: the panels and their layout, or the RBM's
    /// row-major weights and nil.
    func withWeights<T>(of rbm: RBM, _ body: (UnsafePointer<Float>, Panels?) -> T) -> T {
        if let panels { return body(weightPanels, panels) }
        return rbm.weights.withUnsafeBufferPointer { body($0.baseAddress!, nil) }
    }

    /// [v0; vk]^T [<h|v0>; -<h|vk>], W's statistics of a minibatch of `rows` rows that is one
    /// block, from the transposed bits and hidden means that `RBM.runChains` leaves there (`low`:
    /// the value of a clear bit): into the block's slot, or to the weight step (`statisticsInUpdate`).
    func pairedStatistics(rows: Int, low: Float, into destination: TwoValuedProduct.Destination) {
        TwoValuedProduct.multiply(rows: visible, depth: 2 * rows, width: hidden, bits: transposedBits(block: 0, vk: false),
                                  wordsPerRow: BitRows.words(2 * rows), values: (1, low), h0, ldb: hiddenStride, paddedB: true,
                                  into: destination, parallel: !plan.blocksInParallel)
    }

    /// The block's transposed v0 bits (`vk`: its vk bits).
    func transposedBits(block b: Int, vk: Bool) -> UnsafeMutablePointer<UInt64> {
        transposedBits + (2 * b + (vk ? 1 : 0)) * visible * blockWords
    }

    deinit {
        for p in all { p.deallocate() }
        for p in [visibleBits, hiddenBits, transposedBits] { p.deallocate() }
    }
}

/// Training rows in the unit convention, unpacked minibatch by minibatch: spin ensembles straight
/// from their packed bits (16 sites per step; 100 sites take 16 bytes, so a whole training set
/// stays in cache), continuous ones from a float matrix cached when it fits in 256 MB.
struct RBMRows {
    let data: Ensemble
    let units: RBMUnits
    private let packed: [UInt64]?
    private let cache: [Float]?

    init(_ data: Ensemble, units: RBMUnits) {
        self.data = data
        self.units = units
        packed = data.packedWords
        if packed == nil, data.count * data.siteCount <= 1 << 26 {
            var v = data.floatMatrix()
            if units == .binary { for i in v.indices { v[i] = units.fromSpin(v[i]) } }
            cache = v
        } else {
            cache = nil
        }
    }

    /// Whether the samples are spins (two-valued rows, with bits for `fillBits`).
    var isTwoValued: Bool { packed != nil }

    /// Copies the samples `indices` into consecutive rows of `out`, `stride` floats apart
    /// (default: the number of sites).
    func fill<C: Collection<Int>>(_ indices: C, into out: UnsafeMutablePointer<Float>, stride: Int? = nil) {
        let n = data.siteCount, stride = stride ?? n
        if let packed {
            let words = data.wordsPerSample, low = units.low
            packed.withUnsafeBufferPointer { buffer in
                // Chunks of sites outermost: the first pass over the (randomly ordered) samples is
                // a run of independent loads whose cache misses overlap; later chunks hit the cache.
                for i in Swift.stride(from: 0, to: n, by: 16) {
                    // A whole 16-site chunk where the row's padding has room for it.
                    let lanes = i + 16 <= stride ? 16 : n - i
                    for (r, s) in indices.enumerated() {
                        RBMRows.unpack(buffer.baseAddress! + s * words, sites: i, lanes: lanes, low: low, into: out + r * stride)
                    }
                }
            }
            return
        }
        for (r, s) in indices.enumerated() {
            let row = out + r * stride
            if let cache {
                cache.withUnsafeBufferPointer { row.update(from: $0.baseAddress! + s * n, count: n) }
            } else {
                data.copySample(s, into: row)
                if units == .binary { for i in 0..<n { row[i] = units.fromSpin(row[i]) } }
            }
        }
    }

    /// Copies the packed bits of the samples `indices` into consecutive rows of `out`
    /// (`wordsPerRow` words apart; bit set = up, the unit value 1); false, leaving `out` alone,
    /// for continuous data, whose rows are not two-valued.
    func fillBits<C: Collection<Int>>(_ indices: C, into out: UnsafeMutablePointer<UInt64>, wordsPerRow: Int) -> Bool {
        guard let packed else { return false }
        let words = data.wordsPerSample
        packed.withUnsafeBufferPointer { buffer in
            // Word by word: a sample is a word or two, which a memmove call per row cost more than.
            for (r, s) in indices.enumerated() {
                for j in 0..<words { out[r * wordsPerRow + j] = buffer[s * words + j] }
            }
        }
        return true
    }

    /// Sites `first..<first + lanes` (`first` a multiple of 16) of one sample from its packed
    /// words (bit i of word i / 64 set = up): 1 for up, `low` for down.
    @inline(__always)
    private static func unpack(_ words: UnsafePointer<UInt64>, sites first: Int, lanes: Int, low: Float,
                               into out: UnsafeMutablePointer<Float>) {
        guard lanes == 16 else {
            for j in first..<(first + lanes) { out[j] = (words[j >> 6] >> UInt64(j & 63)) & 1 == 1 ? 1 : low }
            return
        }
        let shifts = SIMD16<UInt32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        let down = SIMD16<Float>(repeating: low), step = SIMD16<Float>(repeating: 1 - low)
        // The 16 bits of a chunk lie in one word.
        let chunk = UInt32(truncatingIfNeeded: words[first >> 6] >> UInt64(first & 63))
        let up = RBMKernels.exactFloat((SIMD16<UInt32>(repeating: chunk) &>> shifts) & 1)
        UnsafeMutableRawPointer(out + first).storeBytes(of: down + up * step, as: SIMD16<Float>.self)
    }
}
