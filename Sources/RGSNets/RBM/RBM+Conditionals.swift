import Foundation
import RGSNumerics
import RGSPhysics

/// The conditionals p(h | v) and p(v | h) for whole minibatches: one sgemm for the products
/// (flows, stacks, monitors; training takes its products by table lookup, in RBM+Chains), then
/// one pass per row that adds the bias, takes the means and (optionally) draws the samples from
/// the row's own random stream, on the worker threads unless the caller is a worker itself.
extension RBM {
    /// Products v W (rows x m, no bias) of `rows` visible rows in the unit convention.
    private func hiddenProducts(_ v: UnsafePointer<Float>, rows: Int, into h: UnsafeMutablePointer<Float>) {
        weights.withUnsafeBufferPointer { w in
            BLAS.sgemm(rows, hiddenCount, visibleCount, v, w.baseAddress!, h, blocked: true)
        }
    }

    /// Hidden fields v W + b of `rows` visible rows, rows x m into `h`.
    func hiddenFields(_ v: UnsafePointer<Float>, rows: Int, into h: UnsafeMutablePointer<Float>) {
        hiddenProducts(v, rows: rows, into: h)
        for r in 0..<rows { for a in 0..<hiddenCount { h[r * hiddenCount + a] += hiddenBias[a] } }
    }

    /// <h | v> for `rows` visible rows; with `draw`, also samples h ~ p(h | v) in the same pass.
    func hiddenMeans(_ v: UnsafePointer<Float>, rows: Int, into h: UnsafeMutablePointer<Float>, draw: RBMDraw? = nil) {
        hiddenProducts(v, rows: rows, into: h)
        hiddenBias.withUnsafeBufferPointer {
            conditionals(h, rows: rows, width: hiddenCount, stride: hiddenCount, bias: $0.baseAddress!, draw: draw)
        }
    }

    /// <v | h> for `rows` hidden rows (products h W^T, then the means of h W^T + c); with `draw`,
    /// also samples v ~ p(v | h).
    func visibleMeans(_ h: UnsafePointer<Float>, rows: Int, into v: UnsafeMutablePointer<Float>, draw: RBMDraw? = nil) {
        weights.withUnsafeBufferPointer { w in
            BLAS.sgemm(rows, visibleCount, hiddenCount, h, w.baseAddress!, transB: true, v, blocked: true)
        }
        visibleBias.withUnsafeBufferPointer {
            conditionals(v, rows: rows, width: visibleCount, stride: visibleCount, bias: $0.baseAddress!, draw: draw)
        }
    }

    /// Turns products (rows `stride` floats apart) into means row by row, drawing each sampled row
    /// from stream (key, step, firstRow + r), so the bits never depend on the thread count. The
    /// rows go to the workers unless `parallel` is false (the caller is a worker running a block).
    func conditionals(_ p: UnsafeMutablePointer<Float>, rows: Int, width: Int, stride: Int, bias: UnsafePointer<Float>,
                      draw: RBMDraw?, parallel: Bool = true) {
        guard parallel else {
            RBMKernels.conditionals(p, rows: 0..<rows, width: width, stride: stride, bias: bias, units: units, draw: draw)
            return
        }
        nonisolated(unsafe) let means = p, b = bias, draw = draw
        let units = self.units, groups = (rows + 7) / 8
        // Groups of eight rows, the kernel's unit of vectorised random draws.
        Parallel.forEach(groups) { g in
            RBMKernels.conditionals(means, rows: (8 * g)..<min(rows, 8 * g + 8), width: width, stride: stride,
                                    bias: b, units: units, draw: draw)
        }
    }

    /// Free energies F(v) = -c.v - sum_a log(2 cosh x_a) (pm1) or -c.v - sum_a log(1 + e^x_a)
    /// (binary), so that p(v) = e^-F(v) / Z; in double precision from float32 fields.
    func freeEnergies(_ v: UnsafePointer<Float>, rows: Int) -> [Double] {
        let n = visibleCount, m = hiddenCount
        var fields = [Float](repeating: 0, count: rows * m)
        fields.withUnsafeMutableBufferPointer { hiddenFields(v, rows: rows, into: $0.baseAddress!) }
        var out = [Double](repeating: 0, count: rows)
        for r in 0..<rows {
            var f = 0.0
            for i in 0..<n { f -= Double(visibleBias[i]) * Double(v[r * n + i]) }
            for a in 0..<m { f -= RBM.logPartition(Double(fields[r * m + a]), units: units) }
            out[r] = f
        }
        return out
    }

    /// log of the sum over one hidden unit's values of e^(h x): log(2 cosh x) or log(1 + e^x).
    static func logPartition(_ x: Double, units: RBMUnits) -> Double {
        let a = abs(x)
        switch units {
        case .pm1: return a + log1p(exp(-2 * a))
        case .binary: return max(x, 0) + log1p(exp(-a))
        }
    }

    // MARK: Public array forms (values in the unit convention: ±1 or 0/1)

    /// <h | v> for visible rows given as a flat row-major array (a multiple of n values, each
    /// ±1 for pm1 units or 0/1 for binary ones); returns rows x m means.
    public func hiddenMeans(visible: [Float]) throws(CoreError) -> [Float] {
        let rows = try rowCount(visible.count, width: visibleCount, what: "visible")
        var h = [Float](repeating: 0, count: rows * hiddenCount)
        visible.withUnsafeBufferPointer { v in
            h.withUnsafeMutableBufferPointer { hiddenMeans(v.baseAddress!, rows: rows, into: $0.baseAddress!) }
        }
        return h
    }

    /// <v | h> for hidden rows given as a flat row-major array (a multiple of m values).
    public func visibleMeans(hidden: [Float]) throws(CoreError) -> [Float] {
        let rows = try rowCount(hidden.count, width: hiddenCount, what: "hidden")
        var v = [Float](repeating: 0, count: rows * visibleCount)
        hidden.withUnsafeBufferPointer { h in
            v.withUnsafeMutableBufferPointer { visibleMeans(h.baseAddress!, rows: rows, into: $0.baseAddress!) }
        }
        return v
    }

    /// Free energies F(v) of visible rows in the unit convention (see `freeEnergies(of:)`).
    public func freeEnergies(visible: [Float]) throws(CoreError) -> [Double] {
        let rows = try rowCount(visible.count, width: visibleCount, what: "visible")
        return visible.withUnsafeBufferPointer { freeEnergies($0.baseAddress!, rows: rows) }
    }

    /// Free energy F(v) of every sample, with p(v) = e^-F(v) / Z (lower = more probable).
    public func freeEnergies(of data: Ensemble) throws(CoreError) -> [Double] {
        try checkVisible(data)
        let v = unitValues(of: data)
        return v.withUnsafeBufferPointer { freeEnergies($0.baseAddress!, rows: data.count) }
    }

    private func rowCount(_ count: Int, width: Int, what: String) throws(CoreError) -> Int {
        guard count > 0, count % width == 0 else {
            throw CoreError("\(what) rows need a multiple of \(width) values, got \(count)")
        }
        return count / width
    }

    // MARK: Ensembles

    /// Checks that `data` fits the visible layer: same number of sites, values in [-1, 1].
    func checkVisible(_ data: Ensemble) throws(CoreError) {
        try RBM.checkInput(data, width: visibleCount, layer: "visible")
    }

    static func checkInput(_ data: Ensemble, width: Int, layer: String) throws(CoreError) {
        guard data.siteCount == width else {
            throw CoreError("the RBM's \(layer) layer has \(width) units but the ensemble has \(data.siteCount) sites per sample",
                            hint: "train the RBM on lattices of the same size")
        }
        guard data.count > 0 else { throw CoreError("the ensemble is empty") }
        if !data.isSpin {
            let values = data.floatMatrix()
            guard values.allSatisfy({ $0.isFinite && abs($0) <= 1 + 1e-5 }) else {
                throw CoreError("RBM inputs must lie in [-1, 1] (spins or spin averages)",
                                hint: "rescale continuous data to the spin convention")
            }
        }
    }

    /// The ensemble's samples `rows` (all by default) in the unit convention, row-major.
    func unitValues(of data: Ensemble, rows: Range<Int>? = nil) -> [Float] {
        let range = rows ?? 0..<data.count
        var v = data.floatMatrix(Array(range))
        if units == .binary {
            for i in v.indices { v[i] = units.fromSpin(v[i]) }
        }
        return v
    }

    /// The hidden layer of every sample: conditional samples (a spin ensemble) or means (a
    /// continuous one, in the spin convention), shaped `hiddenShape`, labels carried over with
    /// the model renamed "rbm(model)" (once: flows keep "rbm(model)"). Row r draws from stream
    /// (seed, step, r).
    public func hiddenLayer(of data: Ensemble, mode: RBMPropagation, seed: UInt64, step: Int = 0) throws -> Ensemble {
        try checkVisible(data)
        return try propagate(data, width: visibleCount, outShape: hiddenShape, mode: mode, seed: seed, step: step,
                             note: "rbm hidden layer (\(mode.rawValue))") { v, rows, out, draw in
            hiddenMeans(v, rows: rows, into: out, draw: draw)
        }
    }

    /// The visible layer drawn from hidden configurations (`hiddenCount` sites per sample), shaped
    /// `visibleShape`; the counterpart of `hiddenLayer(of:mode:seed:step:)`.
    public func visibleLayer(ofHidden hidden: Ensemble, mode: RBMPropagation, seed: UInt64, step: Int = 0) throws -> Ensemble {
        try RBM.checkInput(hidden, width: hiddenCount, layer: "hidden")
        return try propagate(hidden, width: hiddenCount, outShape: visibleShape, mode: mode, seed: seed, step: step,
                             note: "rbm visible layer (\(mode.rawValue))") { h, rows, out, draw in
            visibleMeans(h, rows: rows, into: out, draw: draw)
        }
    }

    /// Maps an ensemble through one conditional in chunks of rows, sampling or keeping means.
    private func propagate(_ data: Ensemble, width: Int, outShape: [Int], mode: RBMPropagation, seed: UInt64,
                           step: Int, note: String,
                           means: (UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>, RBMDraw?) -> Void) throws -> Ensemble {
        let outWidth = outShape.reduce(1, *), chunk = 1024
        var result = [Float](repeating: 0, count: data.count * outWidth)
        var buffer = [Float](repeating: 0, count: min(chunk, data.count) * outWidth)
        var first = 0
        while first < data.count {
            try Cancellation.check()
            let rows = min(chunk, data.count - first)
            let input = unitValues(of: data, rows: first..<(first + rows))
            result.withUnsafeMutableBufferPointer { out in
                buffer.withUnsafeMutableBufferPointer { buf in
                    let target = out.baseAddress! + first * outWidth
                    let draw = mode == .sample ? RBMDraw(key: seed, step: step, firstRow: first, into: target) : nil
                    input.withUnsafeBufferPointer { means($0.baseAddress!, rows, mode == .mean ? target : buf.baseAddress!, draw) }
                }
            }
            first += rows
        }
        let labels = data.labels.map { label -> SampleLabel in
            var l = label
            if !label.model.hasPrefix("rbm(") { l.model = "rbm(\(label.model))" }
            return l
        }
        var ensemble: Ensemble
        if mode == .sample {
            ensemble = Ensemble(shape: outShape, spins: result.map { $0 > 0.5 * (1 + units.low) ? 1 : -1 }, labels: labels)
        } else {
            if units == .binary { for i in result.indices { result[i] = units.toSpin(result[i]) } }
            ensemble = Ensemble(shape: outShape, values: result, labels: labels)
        }
        ensemble.notes = data.notes + [note]
        ensemble.isPartial = data.isPartial
        return ensemble
    }
}

/// Where and how to sample units while their means are computed: rows draw from streams
/// (key, step, firstRow + r) and land in `into` (unit values) and, when `bits` is set, as bits
/// in rows of `wordsPerRow` words (bit set for the "on" value 1; `BitRows` layout); training's
/// chains may keep only the bits.
struct RBMDraw {
    let key: UInt64
    let step: Int
    let firstRow: Int
    let into: UnsafeMutablePointer<Float>?
    let bits: UnsafeMutablePointer<UInt64>?
    let wordsPerRow: Int

    init(key: UInt64, step: Int, firstRow: Int = 0, into: UnsafeMutablePointer<Float>?,
         bits: UnsafeMutablePointer<UInt64>? = nil, wordsPerRow: Int = 0) {
        precondition(into != nil || bits != nil, "a draw keeps its samples as floats, bits or both")
        (self.key, self.step, self.firstRow, self.into) = (key, step, firstRow, into)
        (self.bits, self.wordsPerRow) = (bits, wordsPerRow)
    }
}
