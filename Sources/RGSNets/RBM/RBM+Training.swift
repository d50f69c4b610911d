import RGSNumerics
import RGSPhysics

extension RBM {
    /// A fresh RBM (shape from the data, initial weights from `options.seed`) trained on `data`.
    public static func trained(on data: Ensemble, hidden: Int, units: RBMUnits = .pm1,
                               options: RBMTrainingOptions = RBMTrainingOptions()) throws -> RBM {
        try options.validate()
        var rbm = try RBM(visibleShape: data.shape, hidden: hidden, units: units, seed: options.seed)
        try rbm.train(on: data, options: options)
        return rbm
    }

    /// Trains for `options.epochs` more epochs (see `RBMTrainingOptions` for the update rule).
    ///
    /// Bit-reproducible for a fixed seed and any thread count: shuffles, chains and monitors draw
    /// from streams keyed by (seed, epoch, batch, Gibbs step, row). On Ctrl-C it stops after the
    /// current minibatch and keeps the weights trained so far with `isPartial` set. Throws a
    /// `CoreError` for bad options or data that does not fit; if the weights diverge to NaN it
    /// restores those of the last completed epoch, sets `isPartial` and throws.
    public mutating func train(on data: Ensemble, options: RBMTrainingOptions) throws {
        try options.validate()
        try checkVisible(data)
        let (training, validation) = RBM.split(count: data.count, fraction: options.validationFraction, seed: options.seed)
        let rows = RBMRows(data, units: units)
        let batch = min(options.batch, training.count)
        let workspace = RBMWorkspace(batch: batch, visible: visibleCount, hidden: hiddenCount)
        let monitorTraining = rows.matrix(RBM.spread(training, count: options.monitorSamples))
        let monitorValidation = validation.isEmpty ? nil : rows.matrix(RBM.spread(validation, count: options.monitorSamples))
        let batchesPerEpoch = (training.count + batch - 1) / batch
        let progress = Progress("rbm", total: options.epochs * batchesPerEpoch, unit: "batches")
        defer { progress.finish() }
        isPartial = false
        var order = training
        var chainsReady = false
        for _ in 0..<options.epochs {
            let epoch = epochsTrained
            let lastGood = (weights, visibleBias, hiddenBias)
            // The visiting order depends only on (seed, epoch), not on how epochs were split over calls.
            order = training
            var shuffle = RandomStream(seed: options.seed, stream: RBMStreams.shuffle(epoch: epoch))
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, shuffle.below(i + 1)) }
            for b in 0..<batchesPerEpoch {
                if Cancellation.isRequested {
                    isPartial = true
                    return
                }
                let slice = order[(b * batch)..<min(order.count, (b + 1) * batch)]
                rows.fill(slice, into: workspace.v0)
                var keys = RandomStream(seed: options.seed, stream: RBMStreams.batchKey(epoch: epoch, batch: b))
                step(workspace, rows: slice.count, key: keys.next(), options: options, chainsReady: &chainsReady)
                progress.advance()
            }
            guard weights.allSatisfy(\.isFinite), (visibleBias + hiddenBias).allSatisfy(\.isFinite) else {
                (weights, visibleBias, hiddenBias) = lastGood
                isPartial = true
                throw CoreError("RBM training diverged (NaN or infinite weights) in epoch \(epoch + 1)",
                                hint: "lower the learning rate or the momentum")
            }
            epochsTrained += 1
            if options.monitors {
                history.append(monitor(epoch: epochsTrained, training: monitorTraining,
                                       validation: monitorValidation, seed: options.seed))
            }
        }
    }

    /// One CD-k / PCD-k update on the `rows` data rows in `w.v0`.
    private mutating func step(_ w: RBMWorkspace, rows: Int, key: UInt64, options: RBMTrainingOptions,
                               chainsReady: inout Bool) {
        let n = visibleCount, m = hiddenCount
        let vk = w.vk(rows), hk = w.hk(rows)
        if options.persistent {
            hiddenMeans(w.v0, rows: rows, into: w.h0)
            if !chainsReady {
                // The chains start from the first minibatch's data.
                for start in stride(from: 0, to: w.batch, by: rows) {
                    (w.chains + start * n).update(from: w.v0, count: min(rows, w.batch - start) * n)
                }
                chainsReady = true
            }
            hiddenMeans(w.chains, rows: rows, into: hk, draw: RBMDraw(key: key, step: 0, into: w.hs))
        } else {
            hiddenMeans(w.v0, rows: rows, into: w.h0, draw: RBMDraw(key: key, step: 0, into: w.hs))
        }
        for s in 1...options.k {
            visibleMeans(w.hs, rows: rows, into: w.vm, draw: RBMDraw(key: key, step: 2 * s - 1, into: vk))
            hiddenMeans(vk, rows: rows, into: hk, draw: s < options.k ? RBMDraw(key: key, step: 2 * s, into: w.hs) : nil)
        }
        if options.persistent { w.chains.update(from: vk, count: rows * n) }
        for j in 0..<(rows * m) { hk[j] = -hk[j] }
        update(w, rows: rows, options: options)
    }

    /// velocity = momentum velocity + lr (positive - negative statistics - penalty); W += velocity.
    private mutating func update(_ w: RBMWorkspace, rows: Int, options: RBMTrainingOptions) {
        let n = visibleCount, m = hiddenCount
        let lr = options.learningRate, mu = options.momentum, a = lr / Float(rows)
        // [v0; vk]^T [h0; -hk] = v0^T h0 - vk^T hk in one product.
        BLAS.sgemm(n, m, 2 * rows, w.visiblePair, transA: true, w.hiddenPair, w.velocityW, alpha: a, beta: mu)
        let l1 = lr * options.l1, l2 = lr * options.l2
        weights.withUnsafeMutableBufferPointer { buf in
            let wp = buf.baseAddress!, vel = w.velocityW
            if l1 != 0 || l2 != 0 {
                for j in 0..<(n * m) {
                    let x = wp[j]
                    let sign: Float = x > 0 ? 1 : (x < 0 ? -1 : 0)
                    vel[j] -= l2 * x + l1 * sign
                }
            }
            for j in 0..<(n * m) { wp[j] += vel[j] }
        }
        RBM.columnSums(w.v0, rows: rows, width: n, minus: w.vk(rows), into: w.sumC)
        RBM.columnSums(w.h0, rows: rows, width: m, minus: nil, into: w.sumB)
        RBM.columnSums(w.hk(rows), rows: rows, width: m, minus: nil, into: w.sumB, accumulate: true)
        for i in 0..<n {
            w.velocityC[i] = mu * w.velocityC[i] + a * w.sumC[i]
            visibleBias[i] += w.velocityC[i]
        }
        for j in 0..<m {
            w.velocityB[j] = mu * w.velocityB[j] + a * w.sumB[j]
            hiddenBias[j] += w.velocityB[j]
        }
    }

    /// Column sums of x (minus y when given) over `rows` rows, in row order so the result is
    /// thread-independent; added to `out` when `accumulate`.
    private static func columnSums(_ x: UnsafePointer<Float>, rows: Int, width: Int, minus y: UnsafePointer<Float>?,
                                   into out: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        if !accumulate { out.update(repeating: 0, count: width) }
        for r in 0..<rows {
            let xr = x + r * width
            if let y {
                let yr = y + r * width
                for i in 0..<width { out[i] += xr[i] - yr[i] }
            } else {
                for i in 0..<width { out[i] += xr[i] }
            }
        }
    }

    /// At most `count` of `indices`, evenly spread over them (data sorted by temperature keeps
    /// every temperature in the monitors).
    static func spread(_ indices: [Int], count: Int) -> [Int] {
        guard indices.count > count else { return indices }
        return (0..<count).map { indices[$0 * indices.count / count] }
    }

    /// Random training / validation split of 0..<count: the validation share is drawn by the seed.
    static func split(count: Int, fraction: Double, seed: UInt64) -> (training: [Int], validation: [Int]) {
        let held = min(count - 1, Int((fraction * Double(count)).rounded()))
        guard held > 0 else { return (Array(0..<count), []) }
        var order = Array(0..<count)
        var stream = RandomStream(seed: seed, stream: RBMStreams.split)
        for i in 0..<held { order.swapAt(i, i + stream.below(count - i)) }
        return (order[held...].sorted(), order[..<held].sorted())
    }
}

extension RBMRows {
    /// The samples `indices` as one row-major matrix in the unit convention.
    func matrix(_ indices: [Int]) -> [Float] {
        var out = [Float](repeating: 0, count: indices.count * data.siteCount)
        out.withUnsafeMutableBufferPointer { fill(indices, into: $0.baseAddress!) }
        return out
    }
}
