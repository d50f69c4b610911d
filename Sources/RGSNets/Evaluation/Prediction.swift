import RGSNumerics
import RGSPhysics

extension Network {
    /// Rows per forward pass when evaluating (large enough for efficient sgemm shapes).
    static let evaluationBatch = 256

    /// The outputs (count x outputCount, row-major) for row-major `inputs` (count x inputCount).
    public func predict(_ inputs: [Float]) throws(CoreError) -> [Float] {
        guard !inputs.isEmpty, inputs.count % inputCount == 0 else {
            throw CoreError("the inputs must be whole rows of \(inputCount) values (got \(inputs.count) values)")
        }
        let count = inputs.count / inputCount
        var out = [Float](repeating: 0, count: count * outputCount)
        forEachBatch(of: inputs, count: count) { work, start, rows in
            out.withUnsafeMutableBufferPointer {
                ($0.baseAddress! + start * outputCount).update(from: work.output, count: rows * outputCount)
            }
        }
        return out
    }

    /// The outputs for every sample of `data` (count x outputCount, row-major).
    public func predict(_ data: Ensemble) throws(CoreError) -> [Float] {
        try checkInput(data)
        return try predict(data.floatMatrix())
    }

    /// The net's output for each sample as a continuous ensemble of the same shape and labels (for
    /// autoencoders and other nets whose output width equals the site count).
    public func reconstruct(_ data: Ensemble) throws(CoreError) -> Ensemble {
        try checkInput(data)
        try checkOutput(width: data.siteCount, what: "give one value per site to reconstruct \(data.shapeDescription)")
        var out = Ensemble(shape: data.shape, values: try predict(data.floatMatrix()),
                           labels: data.labels.derived(by: "reconstructed"))
        out.notes = data.notes + ["reconstructed by \(summary)"]
        out.isPartial = data.isPartial
        return out
    }

    /// The mean data loss (without penalties) on `data`, with targets implied by the role.
    public func loss(on data: Ensemble) throws(CoreError) -> Double {
        try loss(on: trainingSet(for: data))
    }

    /// The mean data loss (without penalties) of a mapping net on (input, target) pairs.
    public func loss(on pairs: TrainingPairs) throws(CoreError) -> Double {
        try loss(on: pairs.trainingSet)
    }

    /// The mean data loss (without penalties) on row-major inputs and targets.
    public func loss(on data: TrainingSet) throws(CoreError) -> Double {
        guard data.inputWidth == inputCount, data.targetWidth == outputCount else {
            throw CoreError("the data has \(data.inputWidth) inputs and \(data.targetWidth) targets per row, the net \(inputCount) and \(outputCount)")
        }
        var sum = 0.0
        data.targets.withUnsafeBufferPointer { y in
            forEachBatch(of: data.inputs, count: data.count, spinInputs: data.inputsAreSpins) { work, start, rows in
                sum += work.batchLoss(loss, rows: rows, targets: y.baseAddress! + start * outputCount)
            }
        }
        return sum / Double(data.count)
    }

    /// Runs the rows of `inputs` through the net in batches, calling `body(workspace, first row,
    /// rows)` after each forward pass; `spinInputs` says whether every input is +1 or -1
    /// (checked here when not given).
    private func forEachBatch(of inputs: [Float], count: Int, spinInputs: Bool? = nil, _ body: (Workspace, Int, Int) -> Void) {
        let capacity = min(count, Network.evaluationBatch)
        let work = Workspace(network: self, batchCapacity: capacity, training: false,
                             spinInputs: spinInputs ?? BitRows.areSpins(inputs), evaluationRows: count)
        inputs.withUnsafeBufferPointer { x in
            for start in stride(from: 0, to: count, by: capacity) {
                let rows = min(capacity, count - start)
                work.input.pointer.update(from: x.baseAddress! + start * inputCount, count: rows * inputCount)
                work.packInputBits(rows: 0..<rows)
                work.forward(rows: rows)
                body(work, start, rows)
            }
        }
    }
}
