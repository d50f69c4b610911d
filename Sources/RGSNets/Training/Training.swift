import RGSNumerics
import RGSPhysics

/// How to run one training: epochs, minibatch size, validation split, early stopping, seed.
public struct TrainingOptions: Sendable, Equatable {
    public var epochs: Int
    public var batchSize: Int
    /// The fraction of rows held out for validation: the LAST rows of the data, taken before any
    /// shuffling, as Keras's `validation_split` does. Data ordered by label (a temperature
    /// sweep) should be shuffled first, or the validation rows are all one label.
    public var validationFraction: Double
    /// Stop after this many epochs without improvement of the monitored loss (validation loss
    /// when there is a split, else training loss); training ends with the best weights, also
    /// when every epoch ran. nil never stops.
    public var patience: Int?
    /// Keys the per-epoch shuffle: epoch e visits rows in the order drawn from
    /// `RandomStream(seed: seed, stream: e)`, and the augmentation images.
    public var seed: UInt64
    /// Trains every epoch on a random symmetry image of each training row (translation,
    /// rotation/reflection, spin flip at h = 0: `LatticeSymmetries`) instead of the row itself;
    /// validation rows are used as they are. Needs a set with `symmetries`.
    public var augment: Bool
    /// Lowers the learning rate when the monitored loss stalls; nil keeps it fixed.
    public var decay: LearningRateDecay?

    public init(epochs: Int = 1, batchSize: Int = 32, validationFraction: Double = 0,
                patience: Int? = nil, seed: UInt64 = 0, augment: Bool = false, decay: LearningRateDecay? = nil) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.validationFraction = validationFraction
        self.patience = patience
        self.seed = seed
        self.augment = augment
        self.decay = decay
    }
}

/// Keras's ReduceLROnPlateau: after every `patience` epochs without improvement of the monitored
/// loss (validation loss with a split, else training loss) the learning rate is multiplied by
/// `factor`.
public struct LearningRateDecay: Sendable, Equatable {
    public var factor: Double
    public var patience: Int

    public init(factor: Double, patience: Int) {
        self.factor = factor
        self.patience = patience
    }
}

extension Network {
    /// Trains on `data` with targets implied by the role (see `trainingSet(for:)`).
    public mutating func train(on data: Ensemble, options: TrainingOptions) throws(CoreError) {
        try train(trainingSet(for: data), options: options)
    }

    /// Trains a mapping net on (input, target) pairs.
    public mutating func train(on pairs: TrainingPairs, options: TrainingOptions) throws(CoreError) {
        try train(pairs.trainingSet, options: options)
    }

    /// Trains on row-major inputs and targets with minibatch gradient steps.
    ///
    /// Each epoch shuffles the training rows (seeded by `options.seed` and the epoch, counted over
    /// every call on this net), runs one
    /// optimizer step per minibatch (the last one may be smaller) and records the losses in
    /// `history`. Ctrl-C returns the net trained so far with `isPartial` set. A NaN or infinite
    /// loss restores the weights of the last completed epoch, sets `isPartial` and throws.
    /// Results are bit-identical for a fixed seed and any thread count.
    public mutating func train(_ data: TrainingSet, options: TrainingOptions) throws(CoreError) {
        let (trainRows, validationRows) = try checkTraining(data, options)
        // A trained net carries on: its history grows, and the epochs keep counting (shuffles and
        // messages use the net's epoch number, not the call's).
        history.stopReason = nil
        let firstEpoch = history.train.count
        isPartial = false
        try SystemMemory.check(Workspace.trainingBytes(self, batchCapacity: options.batchSize),
                               for: "training this net at batch \(options.batchSize)", hint: "use smaller layers or a smaller batch")
        let work: Workspace, resumedStep: Int?
        do {  // `resumed` ends here, so the moments' arrays are the net's alone when written back
            let resumed = optimizerState.flatMap { $0.fits(self) ? $0 : nil }
            work = WorkspaceCache.workspace(for: self, batchCapacity: options.batchSize, spinInputs: data.inputsAreSpins,
                                            moments: resumed)
            resumedStep = resumed?.step
        }
        var step = resumedStep ?? 0
        let progress = Progress("training", total: Progress.total(options.epochs, times: trainRows), unit: "samples")
        defer { progress.finish() }

        // The parameters as they are (the layers' own arrays, not a copy).
        var lastGood = layers.map { (weights: $0.weights, bias: $0.bias) }
        // The epoch whose weights the net holds now (0: none trained yet).
        var best = (loss: Double.infinity, parameters: lastGood, epoch: history.keptEpoch ?? firstEpoch)
        /// Early stopping's return to the best weights, which the history then names.
        func restoreBest() {
            work.restore(best.parameters)
            history.keptEpoch = best.epoch >= 1 ? best.epoch : nil
        }
        var epochsWithoutGain = 0
        var rateScale = history.rateScale
        var order = Array(0..<trainRows)
        epochs: for epoch in firstEpoch..<(firstEpoch + options.epochs) {
            // Epoch e's order is a shuffle of the rows in storage order drawn from stream e alone,
            // so 2 epochs in one call train as 1 + 1 in two calls.
            for i in order.indices { order[i] = i }
            var random = RandomStream(seed: options.seed, stream: UInt64(epoch))
            for i in stride(from: trainRows - 1, to: 0, by: -1) { order.swapAt(i, random.below(i + 1)) }
            var images = options.augment ? data.symmetries.map {
                SymmetryImages(symmetries: $0, random: RandomStream(seed: options.seed, stream: Network.augmentationStream + UInt64(epoch)))
            } : nil
            var lossSum = 0.0
            var gathered = false  // by the last step's `backpropagate(next:)`
            for start in stride(from: 0, to: trainRows, by: options.batchSize) {
                if Cancellation.isRequested {
                    isPartial = true
                    history.stopReason = "interrupted in epoch \(epoch + 1)"
                    break epochs
                }
                let rows = min(options.batchSize, trainRows - start)
                if !gathered { work.gather(data, rows: order[start..<(start + rows)], images: &images) }
                work.forward(rows: rows)
                let batchLoss = work.batchLoss(loss, rows: rows)
                guard batchLoss.isFinite else {
                    work.restore(lastGood)
                    store(work)
                    optimizerState = nil  // the moments may hold the non-finite values
                    isPartial = true
                    let shown = formatNumber(Double(batchLoss))  // "nan", never Swift's "-nan"
                    history.stopReason = "loss became \(shown) in epoch \(epoch + 1)"
                    throw CoreError("training stopped: the loss became \(shown) in epoch \(epoch + 1); the net keeps the weights of epoch \(history.keptEpoch ?? epoch)",
                                    hint: "lower the learning rate or check the data for NaN values", keepsPartialResult: true)
                }
                lossSum += batchLoss
                step += 1
                let nextStart = start + rows
                let next = nextStart < trainRows ? { () -> Int in
                    let nextRows = min(options.batchSize, trainRows - nextStart)
                    work.gather(data, rows: order[nextStart..<(nextStart + nextRows)], images: &images)
                    return nextRows
                } : nil
                gathered = work.backpropagate(loss, rows: rows, optimizer: optimizer, step: step, rateScale: Float(rateScale),
                                              next: next)
                progress.advance(rows)
            }
            let penalty = work.penalty()
            history.train.append(lossSum / Double(trainRows) + penalty)
            if !validationRows.isEmpty {
                history.validation.append(work.meanLoss(loss, data, rows: validationRows) + penalty)
            }
            // The float32 rate the updates used, as its shortest decimal (0.001, not 0.0010000000475).
            let rate = optimizer.learningRate * Float(rateScale)
            history.learningRates.append(decimal(rate))
            history.keptEpoch = nil  // the weights are this epoch's, until early stopping goes back
            // Kept for a later epoch's non-finite loss, or as the best epoch for early stopping.
            let lastEpoch = epoch + 1 == firstEpoch + options.epochs
            if !lastEpoch || options.patience != nil { lastGood = work.snapshot() }
            let monitored = (validationRows.isEmpty ? history.train.last : history.validation.last) ?? .infinity
            if monitored < best.loss {
                best = (monitored, lastGood, epoch + 1)
                epochsWithoutGain = 0
                continue
            }
            epochsWithoutGain += 1
            if let patience = options.patience, epochsWithoutGain >= patience {
                restoreBest()
                history.stopReason = "early stopping after epoch \(epoch + 1) (the weights of epoch \(best.epoch), loss \(best.loss))"
                break
            }
            if let decay = options.decay, epochsWithoutGain % decay.patience == 0 {
                rateScale *= decay.factor
                history.rateScale = rateScale
            }
        }
        if options.patience != nil, history.stopReason == nil, epochsWithoutGain > 0 {
            restoreBest()  // all epochs ran: still keep the best ones
        }
        (lastGood, best.parameters) = ([], [])  // the layers' arrays are written in place
        store(work)
        work.storeMoments(step: step, optimizer: optimizer, into: &optimizerState)
        WorkspaceCache.keep(work)
    }

    /// Checks the options against the data; returns the number of training rows and the
    /// validation row range.
    private func checkTraining(_ data: TrainingSet, _ options: TrainingOptions) throws(CoreError) -> (Int, Range<Int>) {
        guard data.inputWidth == inputCount else {
            throw CoreError("the net takes \(inputCount) inputs but the data rows have \(data.inputWidth) values")
        }
        guard data.targetWidth == outputCount else {
            throw CoreError("the net has \(outputCount) outputs but the targets have \(data.targetWidth) values")
        }
        guard options.epochs >= 1 else { throw CoreError("epochs must be at least 1 (got \(options.epochs))") }
        guard layers.contains(where: \.trainable) else {
            throw CoreError("every layer of the net is frozen, so training would change nothing",
                            hint: "compose it with a trainable layer, e.g. compose([frozen, shallow(from: ..., to: ...)])")
        }
        guard options.validationFraction >= 0, options.validationFraction < 1 else {
            throw CoreError("the validation fraction must be in [0, 1) (got \(options.validationFraction))")
        }
        if let p = options.patience, p < 1 { throw CoreError("patience must be at least 1 epoch (got \(p))") }
        if let d = options.decay {
            guard d.factor > 0, d.factor < 1 else { throw CoreError("the learning-rate decay factor must be in (0, 1) (got \(d.factor))") }
            guard d.patience >= 1 else { throw CoreError("the learning-rate decay patience must be at least 1 epoch (got \(d.patience))") }
        }
        if options.augment, data.symmetries == nil {
            throw CoreError("augment needs lattice samples with symmetric targets (an ensemble of chains or 2D lattices), not training pairs "
                            + "nor the 2m x m lattices of one decimation step (the rotated lattice, whose symmetries are not the array's)",
                            hint: "drop augment:, or decimate once more to a square lattice")
        }
        try optimizer.validate()
        if loss == .binaryCrossEntropy || loss == .categoricalCrossEntropy, !data.targets.allSatisfy({ $0 >= 0 && $0 <= 1 }) {
            throw CoreError("\(loss.rawValue) needs targets in [0, 1] (probabilities or one-hot classes), but some lie outside",
                            hint: "for +-1 spins use loss: hinge or mse")
        }
        try checkReach(data.targetBounds)
        let trainRows = Int(Double(data.count) * (1 - options.validationFraction))
        guard trainRows >= 1 else { throw CoreError("no training rows are left after the validation split") }
        guard options.batchSize >= 1, options.batchSize <= trainRows else {
            throw CoreError("the batch size must be between 1 and the \(trainRows) training samples (got \(options.batchSize))",
                            hint: "lower batch:, or draw more samples", argument: "batch")
        }
        return (trainRows, trainRows..<data.count)
    }

    /// Refuses targets the output activation cannot produce (sigmoid outputs against -1 spins,
    /// a tanh output against T = 2..4): training would only push the output to its bound.
    private func checkReach(_ targets: (low: Float, high: Float)) throws(CoreError) {
        guard let last = layers.last, let range = last.activation.outputs else { return }
        let (low, high) = targets
        let slack: Float = 1e-6
        guard low < range.lowerBound - slack || high > range.upperBound + slack else { return }
        let bounds = range.upperBound.isFinite ? "[\(formatNumber(Double(range.lowerBound))), \(formatNumber(Double(range.upperBound)))]"
                                               : "[\(formatNumber(Double(range.lowerBound))), inf)"
        let reach = low < range.lowerBound - slack ? "down to \(formatNumber(Double(low)))" : "up to \(formatNumber(Double(high)))"
        let hint: String
        if case .regressor = role {
            hint = low >= 0 ? "use output: linear or relu" : "use output: linear"
        } else {
            hint = low >= -1 && high <= 1 ? "for targets in [-1, 1] (spins, block spins) use activation: linear or tanh" : "use activation: linear"
        }
        throw CoreError("a \(last.activation.rawValue) output lies in \(bounds) but the targets go \(reach)", hint: hint)
    }

    /// Copies the workspace parameters back into the layers (in place where the arrays are
    /// this net's alone).
    mutating func store(_ work: Workspace) {
        for k in layers.indices {
            work.buffers[k].weights.copy(into: &layers[k].weights)
            FloatBuffer.copy(work.buffers[k].bias, into: &layers[k].bias)
        }
    }
}

extension Network {
    /// Augmentation images of epoch e come from stream `augmentationStream + e` of the seed
    /// (apart from the shuffle streams 0, 1, ...).
    static let augmentationStream: UInt64 = 1 << 32
}

extension Workspace {
    /// Copies the input and target rows `rows` of `data` into the batch buffers; with `images`,
    /// a random symmetry image of each row (drawn in row order, so independent of threads).
    /// Plain rows are copied, and their bits packed, in parallel chunks of `gatherChunk` rows
    /// (the rows of a large batch lie all over the data: batch 1000 of Model-1 gathered in
    /// 0.8-0.9 instead of 1.3-1.5 ms). When the step reads the inputs only as bits
    /// (`readsInputBitsOnly`), the rows' bits are copied instead of their floats, and an
    /// autoencoder's targets are unpacked from them: a 100-row minibatch of 32 x 32 lattices
    /// moves 13 KB instead of 800 KB from all over the data.
    func gather(_ data: TrainingSet, rows: ArraySlice<Int>, images: inout SymmetryImages?) {
        guard images == nil else { return gatherImages(data, rows: rows, images: &images) }
        let ni = data.inputWidth, nt = data.targetWidth, words = inputWords
        let (input, target, chunk) = (Shared(input.pointer), Shared(target.pointer), Workspace.gatherChunk)
        let bitsOnly = readsInputBitsOnly(rows: rows.count) && data.inputBits.count == data.count * words
        let unpacksTargets = bitsOnly && data.targetsAreInputs
        // Each chunk writes only its own rows of the input, target and bit buffers.
        nonisolated(unsafe) let work = self
        nonisolated(unsafe) let bits = inputBits
        data.inputs.withUnsafeBufferPointer { x in
            data.targets.withUnsafeBufferPointer { y in
                data.inputBits.withUnsafeBufferPointer { b in
                    let (x, y) = (Shared(x.baseAddress!), Shared(y.baseAddress!))
                    nonisolated(unsafe) let b = b.baseAddress
                    Parallel.forEach((rows.count + chunk - 1) / chunk) { c in
                        let range = (c * chunk)..<min(rows.count, (c + 1) * chunk)
                        for r in range {
                            let s = rows[rows.startIndex + r]
                            if let b, bitsOnly {
                                (bits + r * words).update(from: b + s * words, count: words)
                            } else {
                                (input.pointer + r * ni).update(from: x.pointer + s * ni, count: ni)
                            }
                            if !unpacksTargets { (target.pointer + r * nt).update(from: y.pointer + s * nt, count: nt) }
                        }
                        if unpacksTargets {
                            BitRows.unpack(bits + range.lowerBound * words, rows: range.count, width: nt, wordsPerRow: words,
                                           values: (1, -1), into: target.pointer + range.lowerBound * nt, stride: nt)
                        } else if !bitsOnly {
                            work.packInputBits(rows: range)
                        }
                    }
                }
            }
        }
    }

    /// Whether a step on `rows` rows reads the inputs only through their bits: spin inputs whose
    /// first layer takes both its products by table lookup (the float rows then stay unset).
    func readsInputBitsOnly(rows: Int) -> Bool {
        spinInputs && rows > Workspace.fusedBatch && deltaTables != nil
    }

    /// Rows per parallel chunk of `gather`.
    static let gatherChunk = 64

    /// `gather` with a random symmetry image of each row, in row order.
    private func gatherImages(_ data: TrainingSet, rows: ArraySlice<Int>, images: inout SymmetryImages?) {
        let ni = data.inputWidth, nt = data.targetWidth
        data.inputs.withUnsafeBufferPointer { x in
            data.targets.withUnsafeBufferPointer { y in
                for (r, s) in rows.enumerated() {
                    let row = input.pointer + r * ni, targetRow = target.pointer + r * nt
                    images?.image(of: x.baseAddress! + s * ni, into: row)
                    if images?.symmetries.transformsTargets == true {
                        targetRow.update(from: row, count: nt)
                    } else {
                        targetRow.update(from: y.baseAddress! + s * nt, count: nt)
                    }
                }
            }
        }
        packInputBits(rows: 0..<rows.count)
    }

    /// The mean data loss over `rows` of `data`, in batches of the workspace capacity.
    func meanLoss(_ loss: Loss, _ data: TrainingSet, rows: Range<Int>) -> Double {
        var sum = 0.0
        for start in stride(from: rows.lowerBound, to: rows.upperBound, by: batchCapacity) {
            let n = min(batchCapacity, rows.upperBound - start)
            var plain: SymmetryImages? = nil
            gather(data, rows: ArraySlice(start..<(start + n)), images: &plain)
            forward(rows: n)
            sum += batchLoss(loss, rows: n)
        }
        return sum / Double(rows.count)
    }
}
