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
    /// `CoreError` for bad options or data that does not fit; if the weights diverge (NaN, or
    /// beyond `divergedParameter`) it restores those of the last completed epoch, sets `isPartial`
    /// and throws.
    public mutating func train(on data: Ensemble, options: RBMTrainingOptions) throws {
        try options.validate()
        try checkVisible(data)
        trainingOptions = options
        let (training, validation) = RBM.split(count: data.count, fraction: options.validationFraction, seed: options.seed)
        let rows = RBMRows(data, units: units)
        let batch = min(options.batch, training.count)
        try SystemMemory.check(RBMWorkspace.bytes(batch: batch, visible: visibleCount, hidden: hiddenCount,
                                                      twoValuedData: rows.isTwoValued),
                               for: "training this RBM at batch \(batch)", hint: "use fewer hidden units or a smaller batch")
        let workspace = RBMWorkspace(batch: batch, visible: visibleCount, hidden: hiddenCount, twoValuedData: rows.isTwoValued)
        workspace.load(self)
        // While training, W lives in the workspace's panels when it keeps W there: they are
        // copied back at the end of every epoch and when the call returns.
        workspace.loadWeights(self)
        defer { workspace.storeWeights(into: &weights) }
        // A trained RBM carries on with its velocities and persistent chains.
        var chainsReady = false
        if let state = trainingState, state.fits(visible: visibleCount, hidden: hiddenCount) {
            chainsReady = workspace.load(state, persistent: options.persistent)
        }
        // Kept for the next call, unless the weights diverged (the velocities hold the blow-up).
        var keepState = true
        // Chains are kept only once started (an interrupt before the first minibatch leaves zeros).
        defer { trainingState = keepState ? workspace.state(persistent: options.persistent && chainsReady) : nil }
        let monitorTraining = rows.matrix(RBM.spread(training, count: options.monitorSamples))
        let monitorValidation = validation.isEmpty ? nil : rows.matrix(RBM.spread(validation, count: options.monitorSamples))
        let batchesPerEpoch = (training.count + batch - 1) / batch
        let progress = Progress("rbm", total: Progress.total(options.epochs, times: batchesPerEpoch), unit: "batches")
        defer { progress.finish() }
        isPartial = false
        var order = training
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
                var keys = RandomStream(seed: options.seed, stream: RBMStreams.batchKey(epoch: epoch, batch: b))
                guard step(workspace, data: rows, samples: slice, key: keys.next(), options: options, chainsReady: &chainsReady) else {
                    isPartial = true  // interrupted inside this minibatch, which was discarded
                    return
                }
                progress.advance()
            }
            workspace.storeWeights(into: &weights)
            func diverged(_ what: String) -> CoreError {
                (weights, visibleBias, hiddenBias) = lastGood
                workspace.loadWeights(self)
                isPartial = true
                keepState = false
                return CoreError("RBM training diverged (\(what)) in epoch \(epoch + 1)", hint: "lower the learning rate or the momentum",
                                 keepsPartialResult: true)
            }
            guard weights.allSatisfy(\.isFinite), (visibleBias + hiddenBias).allSatisfy(\.isFinite) else {
                throw diverged("NaN or infinite weights")
            }
            let largest = max(weights.lazy.map(abs).max() ?? 0, (visibleBias + hiddenBias).lazy.map(abs).max() ?? 0)
            guard largest <= RBM.divergedParameter else {
                throw diverged("a weight or bias reached \(compactNumber(Double(largest))), beyond \(formatNumber(Double(RBM.divergedParameter))): "
                               + "every unit's conditional is 0 or 1 whatever its inputs")
            }
            // Weights within `divergedParameter` keep the monitors finite (free energies in double).
            if options.monitors {
                history.append(monitor(epoch: epochsTrained + 1, training: monitorTraining, validation: monitorValidation,
                                       seed: options.seed))
            }
            epochsTrained += 1
        }
    }

    /// One CD-k / PCD-k update on the minibatch `samples` (indices into `data`): the chains of
    /// every block of rows (see `RBMBlockPlan`), then the parameter update.
    private mutating func step(_ w: RBMWorkspace, data: RBMRows, samples: ArraySlice<Int>, key: UInt64,
                               options: RBMTrainingOptions, chainsReady: inout Bool) -> Bool {
        let batch = RBMMinibatch(workspace: w, rows: samples.count, key: key, k: options.k,
                                 persistent: options.persistent, startChains: !chainsReady)
        chainsReady = true
        let blocks = w.plan.blocks(rows: batch.rows)
        if w.plan.blocksInParallel {
            let model = self
            Parallel.forEach(blocks) { model.runChains(batch, block: $0, data: data, samples: samples) }
        } else {
            for b in 0..<blocks { runChains(batch, block: b, data: data, samples: samples) }
        }
        // Interrupted chains were cut short: the weights stay those of the previous minibatch.
        guard !Cancellation.isRequested else { return false }
        update(w, rows: batch.rows, options: options)
        return true
    }

    /// The size of a weight or bias at which training counts as diverged: tanh and the sigmoid
    /// are saturated to float precision from 9 and 17 on, so a unit with such a weight is
    /// deterministic, where trained RBMs of the papers' data have weights of order 1.
    static let divergedParameter: Float = 10_000

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
