import RGSNumerics

/// The working copy of a network's parameters plus every buffer one minibatch step needs,
/// allocated once for a maximum batch size: forward pass, backward pass and optimizer update on
/// whole minibatches with sgemm.
final class Workspace {
    struct LayerBuffers {
        let weights: FloatBuffer
        let bias: FloatBuffer?
        /// Activations (batch x outputs; empty for the first layer of a `LinearPair`).
        let outputs: FloatBuffer
        /// dLoss/d(pre-activation), then reused as dLoss/d(output) of the previous layer (empty
        /// for the first layer of a `LinearPair`).
        let delta: FloatBuffer
        let biasGradient: FloatBuffer?
        /// Optimizer moments (first, second) for weights and bias.
        let momentW: FloatBuffer, secondW: FloatBuffer
        let momentB: FloatBuffer?, secondB: FloatBuffer?
    }

    /// A layer without its parameters (`buffers` hold those; holding the net's arrays would make
    /// the net copy them instead of writing them in place when training ends).
    struct LayerShape {
        let inputs, outputs: Int
        let activation: Activation
        let l1, l2: Float
        let trainable: Bool

        init(_ layer: DenseLayer) {
            (inputs, outputs, activation) = (layer.inputs, layer.outputs, layer.activation)
            (l1, l2, trainable) = (layer.l1, layer.l2, layer.trainable)
        }
    }

    /// The layers' shapes, activations and penalties (`reload` takes a new net's).
    private(set) var layers: [LayerShape]
    let buffers: [LayerBuffers]
    let batchCapacity: Int
    /// Whether the workspace has the buffers of training (gradients, moments), not only of
    /// prediction.
    let training: Bool
    /// The input of the current batch (batch x inputs) and its targets (batch x outputs).
    let input: FloatBuffer
    let target: FloatBuffer
    /// Batches of at most `fusedBatch` rows: each layer's input transposed (`SmallBatch.transpose`,
    /// for its forward product and weight gradient), and the current layer's output gradient in
    /// column panels (`SmallBatch.pack`).
    private(set) var transposedInputs: [FloatBuffer]
    let packedDelta: FloatBuffer
    /// Whether the first layer's product for the next minibatch is taken during this one's
    /// update (`backpropagate(next:)`): small batches, a trainable first layer whose update
    /// blocks hold whole `SmallBatch.forward` parts.
    let firstLayerAhead: Bool
    /// The next minibatch's input transposed, while its first-layer parts are computed; then it
    /// becomes `transposedInputs[0]`.
    private var aheadInput: FloatBuffer
    /// Rows of the minibatch whose first-layer parts wait in `productScratch` (0: none).
    private var aheadRows = 0
    /// The partial sums of `SmallBatch.forward`, and an input gradient transposed
    /// (`SmallBatch.inputGradient`).
    let productScratch: FloatBuffer, transposedGradient: FloatBuffer
    /// One region of `gradientRegion` floats per worker (`Parallel.forEach(_:byWorker:)`): the
    /// weight gradient of the block of weight rows the worker is updating, which stays in its
    /// cache (a layer-sized gradient buffer was written and read back from memory every step).
    let gradientScratch: FloatBuffer
    let gradientRegion: Int
    /// Backpropagation stops at the first trainable layer: frozen layers before it need no
    /// input gradient.
    let firstTrainable: Int
    /// With spin inputs (every input +1 or -1), their bits (batch rows, then transposed: one
    /// row per input unit): above `fusedBatch` rows the first layer's product x W and weight
    /// gradient x^T dZ go by table lookup (`TwoValuedProduct`), a quarter of the additions.
    let spinInputs: Bool
    let inputBits: UnsafeMutablePointer<UInt64>, transposedInputBits: UnsafeMutablePointer<UInt64>
    let inputWords: Int, batchWords: Int
    /// Lookup tables of the first layer's dZ for its weight gradient (of the second layer's dZ
    /// when the first two layers form a `LinearPair`), shared by the blocks (when they fit; else
    /// that gradient stays on sgemm).
    let deltaTables: TwoValuedTables?
    /// Pairs of linear bias-free layers run through the product of their weights
    /// (`LinearPair`): in training at large batches, in evaluations of many rows.
    let pairs: [LinearPair]

    /// `moments`, if given, must fit the net (`OptimizerState.fits`); training starts from them.
    /// An evaluation workspace (`training` false) is made for `evaluationRows` rows in all,
    /// which decides its pairs (`evaluationPairs`).
    init(network: Network, batchCapacity: Int, training: Bool, spinInputs: Bool = false, moments: OptimizerState? = nil,
         evaluationRows: Int = 0) {
        layers = network.layers.map(LayerShape.init)
        (self.batchCapacity, self.training) = (batchCapacity, training)
        let spin = Workspace.usesSpinProducts(spinInputs, batchCapacity: batchCapacity, network: network)
        self.spinInputs = spin
        (inputWords, batchWords) = (BitRows.words(network.inputCount), BitRows.words(batchCapacity))
        // Cache-line aligned: parallel chunks of `gather` pack neighbouring rows.
        inputBits = BufferPool.zeros(spin ? batchCapacity * inputWords : 1)
        transposedInputBits = BufferPool.zeros(spin ? network.inputCount * batchWords : 1)
        let pairStarts = training ? Workspace.linearPairs(network, batchCapacity: batchCapacity, spinProducts: spin)
            : Workspace.evaluationPairs(network, rows: evaluationRows, spinProducts: spin)
        pairs = pairStarts.map { a in
            let (x, y) = (network.layers[a], network.layers[a + 1])
            return LinearPair(first: a, inputs: x.inputs, hidden: x.outputs, outputs: y.outputs, training: training)
        }
        let out = network.layers.isEmpty ? 0 : network.layers[pairStarts.first == 0 ? 1 : 0].outputs
        deltaTables = spin && training && network.layers[0].trainable && TwoValuedTables.fit(depth: batchCapacity, width: out)
            ? TwoValuedTables(depth: batchCapacity, width: out) : nil
        input = FloatBuffer(batchCapacity * network.inputCount)
        target = FloatBuffer(training ? batchCapacity * network.outputCount : 0)
        firstTrainable = network.layers.firstIndex(where: \.trainable) ?? network.layers.count
        let widest = network.layers.map { max($0.inputs, $0.outputs) }.max() ?? 0
        let smallRows = min(batchCapacity, Workspace.fusedBatch)
        transposedInputs = network.layers.map { FloatBuffer(smallRows * $0.inputs) }
        let first = network.layers.first
        firstLayerAhead = training && batchCapacity <= Workspace.fusedBatch && first?.trainable == true
            && (first?.outputs ?? 1) % 8 == 0 && Workspace.fusedBlock(out: first?.outputs ?? 1) % SmallBatch.forwardDepth == 0
        aheadInput = FloatBuffer(firstLayerAhead ? smallRows * network.inputCount : 0)
        productScratch = FloatBuffer(network.layers.map { SmallBatch.forwardScratch(rows: smallRows, n: $0.inputs, out: $0.outputs) }.max() ?? 0)
        transposedGradient = FloatBuffer(training ? smallRows * (network.layers.map(\.inputs).max() ?? 0) : 0)
        let region = network.layers.filter(\.trainable).map {
            max(64, Workspace.gradientBlock(rows: batchCapacity, inputs: $0.inputs)) * $0.outputs
        }.max() ?? 0
        gradientRegion = (region + 1023) / 1024 * 1024
        gradientScratch = FloatBuffer(training ? Parallel.maxWorkers * gradientRegion : 0)
        packedDelta = FloatBuffer(training ? batchCapacity * widest : 0)
        buffers = network.layers.enumerated().map { k, layer in
            let grad = training && layer.trainable
            let w = grad ? layer.weights.count : 0
            let b = grad ? layer.outputs : 0
            let saved = training ? moments?.layers[k] : nil
            func moment(_ values: [Float]?, _ count: Int) -> FloatBuffer { values.map { FloatBuffer($0) } ?? FloatBuffer(count) }
            // The first layer of a pair forms neither outputs nor their gradient.
            let rows = pairStarts.contains(k) ? 0 : batchCapacity
            return LayerBuffers(
                weights: FloatBuffer(layer.weights), bias: layer.bias.map { FloatBuffer($0) },
                outputs: FloatBuffer(rows * layer.outputs),
                delta: FloatBuffer(training ? rows * layer.outputs : 0),
                biasGradient: layer.bias.map { _ in FloatBuffer(b) },
                momentW: moment(saved?.weightsFirst, w), secondW: moment(saved?.weightsSecond, w),
                momentB: layer.bias.map { _ in moment(saved?.biasFirst, b) },
                secondB: layer.bias.map { _ in moment(saved?.biasSecond, b) })
        }
        // An evaluation's weights never change: its pairs' products are formed once, here.
        if !training { pairs.forEach(formProduct) }
    }

    /// Whether inputs that are all spins take the first layer's products by table lookup.
    private static func usesSpinProducts(_ spinInputs: Bool, batchCapacity: Int, network: Network) -> Bool {
        spinInputs && batchCapacity > fusedBatch && !network.layers.isEmpty
    }

    /// Readies this workspace for training `network` again, as `init` would make it: the net's
    /// layers (penalties, and activations that leave the linear pairs as they are, may differ
    /// from the last net's), parameters, `moments` (which must fit the net) or zero moments, no
    /// first-layer parts waiting. False, with nothing changed, unless the workspace was made for
    /// training a net of the same layer sizes, trainable flags, biases and linear pairs
    /// (`linearPairs`) with the same batch capacity and spin inputs. Its other buffers keep the
    /// last run's values: every step writes them before reading them, as from one epoch to the
    /// next.
    func reload(_ network: Network, batchCapacity: Int, spinInputs: Bool, moments: OptimizerState?) -> Bool {
        let shapes = network.layers.map(LayerShape.init)
        guard training, batchCapacity == self.batchCapacity, shapes.count == layers.count,
              zip(shapes, layers).allSatisfy({ ($0.inputs, $0.outputs, $0.trainable) == ($1.inputs, $1.outputs, $1.trainable) }),
              self.spinInputs == Workspace.usesSpinProducts(spinInputs, batchCapacity: batchCapacity, network: network),
              zip(buffers, network.layers).allSatisfy({ ($0.bias == nil) == ($1.bias == nil) }),
              pairs.map(\.first) == Workspace.linearPairs(network, batchCapacity: batchCapacity, spinProducts: self.spinInputs)
        else { return false }
        layers = shapes
        for (k, (buf, layer)) in zip(buffers, network.layers).enumerated() {
            buf.weights.load(layer.weights)
            if let b = layer.bias { buf.bias?.load(b) }
            let saved = moments?.layers[k]
            buf.momentW.load(saved?.weightsFirst)
            buf.secondW.load(saved?.weightsSecond)
            buf.momentB?.load(saved?.biasFirst)
            buf.secondB?.load(saved?.biasSecond)
        }
        aheadRows = 0
        return true
    }

    /// Every float buffer: the parameters, the moments and the scratch buffers.
    var floatBuffers: [FloatBuffer] {
        var all = [input, target, aheadInput, productScratch, transposedGradient, gradientScratch, packedDelta] + transposedInputs
            + pairs.flatMap { [$0.product, $0.contracted, $0.gradient] }
        for b in buffers {
            all += [b.weights, b.outputs, b.delta, b.momentW, b.secondW]
                + [b.bias, b.biasGradient, b.momentB, b.secondB].compactMap { $0 }
        }
        return all
    }

    /// The bytes of the float buffers.
    var bytes: Int { floatBuffers.reduce(0) { $0 + $1.count * MemoryLayout<Float>.stride } }

    /// About the bytes training `network` at `batchCapacity` needs beyond what it holds: the
    /// workspace's parameters, moments and gradient blocks, the kept last good and best
    /// parameters, the buffers of linear pairs, and per row every layer's outputs, deltas and
    /// the input and target. Checked against the free memory before a workspace is made.
    static func trainingBytes(_ network: Network, batchCapacity: Int) -> Double {
        let weights = network.layers.reduce(0.0) { $0 + Double($1.weights.count) }
        let units = network.layers.reduce(Double(network.inputCount)) { $0 + Double($1.outputs) }
        let pairs = Double(linearPairFloats(network, batchCapacity: batchCapacity))
        return Double(MemoryLayout<Float>.stride) * (6 * weights + pairs + 3 * Double(batchCapacity) * units)
    }

    deinit {
        inputBits.deallocate()
        transposedInputBits.deallocate()
    }

    /// Sets the bits of input rows `rows` from the input buffer (spin inputs only).
    func packInputBits(rows: Range<Int>) {
        guard spinInputs else { return }
        let n = layers[0].inputs
        BitRows.pack(input.pointer + rows.lowerBound * n, rows: rows.count, width: n, stride: n, threshold: 0,
                     into: inputBits + rows.lowerBound * inputWords, wordsPerRow: inputWords)
    }

    /// The network's output for the current batch.
    var output: UnsafeMutablePointer<Float> { buffers[buffers.count - 1].outputs.pointer }

    /// Runs `rows` rows of `input` through every layer (the two layers of a `LinearPair` at
    /// once: the first one's outputs are not formed).
    func forward(rows: Int) {
        var x = UnsafePointer(input.pointer)
        var k = 0
        while k < layers.count {
            if let pair = pairs.first(where: { $0.first == k }) {
                forward(pair, rows: rows, x: x)
                x = UnsafePointer(buffers[k + 1].outputs.pointer)
                k += 2
                continue
            }
            let (layer, buf, xT) = (layers[k], buffers[k], transposedInputs[k])
            k += 1
            let y = buf.outputs.pointer
            if aheadRows == rows, x == UnsafePointer(input.pointer) {
                // The parts were taken during the last update, and xT is in place.
                SmallBatch.sumParts(rows: rows, n: layer.inputs, out: layer.outputs, y: y, scratch: productScratch.pointer)
                aheadRows = 0
            } else if rows <= Workspace.fusedBatch {
                SmallBatch.transpose(rows: rows, n: layer.inputs, x: x, into: xT.pointer)
                SmallBatch.forward(rows: rows, n: layer.inputs, out: layer.outputs, xT: xT.pointer, w: buf.weights.pointer, y: y,
                                   scratch: productScratch.pointer)
            } else if spinInputs, x == UnsafePointer(input.pointer) {
                TwoValuedProduct.multiply(rows: rows, depth: layer.inputs, width: layer.outputs, bits: inputBits,
                                          wordsPerRow: inputWords, values: (1, -1), buf.weights.pointer, ldb: layer.outputs,
                                          y, ldc: layer.outputs, parallel: true)
            } else {
                BLAS.sgemm(rows, layer.outputs, layer.inputs, x, buf.weights.pointer, y, blocked: true)
            }
            if let b = buf.bias?.pointer {
                for r in 0..<rows {
                    let row = y + r * layer.outputs
                    for j in 0..<layer.outputs { row[j] += b[j] }
                }
            }
            layer.activation.apply(y, rows: rows, width: layer.outputs)
            x = UnsafePointer(y)
        }
    }

    /// The summed data loss of the current batch against `targets` (default: the target
    /// buffer); call after `forward`.
    func batchLoss(_ loss: Loss, rows: Int, targets: UnsafePointer<Float>? = nil) -> Double {
        loss.total(output, targets ?? UnsafePointer(target.pointer), rows: rows, width: layers[layers.count - 1].outputs)
    }

    /// Backpropagates the batch-mean loss of the current batch and applies optimizer update
    /// number `step` (from 1), its step size scaled by `rateScale`, to every trainable layer;
    /// call after `forward`.
    ///
    /// Layers are handled from the last to the first trainable one. A layer's input gradient
    /// dX = dZ W^T is taken before its weights change, so updating each layer as soon as its
    /// gradients are known gives the same result as updating all of them at the end.
    ///
    /// With `firstLayerAhead`, `next` (if given) is called once this batch's targets have been
    /// read: it gathers the next minibatch into the input and target buffers and returns its
    /// rows. Each block of first-layer weight rows then takes its parts of the next batch's
    /// product as soon as it is updated, while it is still in cache, instead of the next
    /// `forward` streaming W again; the sums are those `forward` would form. Returns whether
    /// `next` was called; then the next call must be `forward` on those rows (no other gather,
    /// restore or product in between: the parts wait in `productScratch`).
    @discardableResult
    func backpropagate(_ loss: Loss, rows: Int, optimizer: Optimizer, step: Int, rateScale: Float = 1,
                       next: (() -> Int)? = nil) -> Bool {
        let last = layers.count - 1
        let stepSize = optimizer.stepSize(step) * rateScale
        loss.gradient(output, target.pointer, into: buffers[last].delta.pointer, rows: rows,
                      width: layers[last].outputs)
        var ahead = 0
        if firstLayerAhead, let next {
            ahead = next()
            SmallBatch.transpose(rows: ahead, n: layers[0].inputs, x: input.pointer, into: aheadInput.pointer)
        }
        var k = last
        while k >= firstTrainable {
            if let pair = pairs.first(where: { $0.first + 1 == k }) {
                backpropagate(pair, rows: rows, optimizer: optimizer, stepSize: stepSize)
                k -= 2
                continue
            }
            let layer = layers[k], buf = buffers[k]
            defer { k -= 1 }
            let d = buf.delta.pointer
            layer.activation.backward(d, outputs: buf.outputs.pointer, rows: rows, width: layer.outputs)
            if rows <= Workspace.fusedBatch {
                fusedPass(k, rows: rows, optimizer: optimizer, stepSize: stepSize, ahead: k == 0 ? ahead : 0)
            } else {
                if k > firstTrainable {
                    // dX = dZ W^T (rows x inputs), the output gradient of layer k - 1, before W changes.
                    BLAS.sgemm(rows, layer.inputs, layer.outputs, d, buf.weights.pointer, transB: true,
                               buffers[k - 1].delta.pointer, blocked: true)
                }
                if layer.trainable { blockedGradientPass(k, rows: rows, optimizer: optimizer, stepSize: stepSize) }
            }
            if layer.trainable { updateBias(k, rows: rows, optimizer: optimizer, stepSize: stepSize) }
        }
        if ahead > 0 {
            swap(&transposedInputs[0], &aheadInput)
            aheadRows = ahead
        }
        return next != nil && firstLayerAhead
    }

    /// The input of layer k for the current batch (rows x inputs).
    func layerInput(_ k: Int) -> UnsafeMutablePointer<Float> {
        k == 0 ? input.pointer : buffers[k - 1].outputs.pointer
    }

    /// Batches of at most `fusedBatch` rows: one parallel pass over layer k's weight rows, four
    /// at a time: the input gradient dX[:, i] = dZ W[i, :]^T of those rows (if an earlier layer
    /// is trainable), their weight gradient rows sum_b x[b, i] dZ[b, :] in a cache-resident
    /// scratch block, and the optimizer update of those rows.
    ///
    /// Small batches are dominated by streaming the weights and Adam's moments;
    /// reading each weight row once for all three, instead of an sgemm into the full gradient
    /// buffer and separate passes, cuts that traffic. Row groups lie inside fixed blocks and each
    /// gradient element is summed over the batch in order, so the result does not depend on the
    /// thread count. With `ahead` rows of the next batch in `aheadInput` (first layer only), each
    /// block then takes its `SmallBatch.forward` parts of that batch into `productScratch`.
    private func fusedPass(_ k: Int, rows: Int, optimizer: Optimizer, stepSize: Float, ahead: Int) {
        let layer = layers[k], buf = buffers[k]
        let w = Shared(buf.weights.pointer), g = Shared(gradientScratch.pointer), region = gradientRegion
        let m = Shared(buf.momentW.pointer), v = Shared(buf.secondW.pointer)
        let d = Shared(buf.delta.pointer)
        let dxT = k > firstTrainable ? Shared(transposedGradient.pointer) : nil
        let (n, out, l1, l2, trainable) = (layer.inputs, layer.outputs, layer.l1, layer.l2, layer.trainable)
        let xT = Shared(transposedInputs[k].pointer), panels = Shared(packedDelta.pointer)
        if trainable { SmallBatch.pack(rows: rows, out: out, d: d.pointer, into: panels.pointer) }
        let block = Workspace.fusedBlock(out: out), depth = SmallBatch.forwardDepth
        let next = Shared(aheadInput.pointer), parts = Shared(productScratch.pointer)
        Parallel.forEach((n + block - 1) / block, byWorker: { c, worker in
            let scratch = g.pointer + worker * region
            for i in stride(from: c * block, to: min(n, (c + 1) * block), by: 4) {
                let count = min(4, n - i)
                if let dxT {
                    SmallBatch.inputGradient(rows: rows, n: n, out: out, d: d.pointer, w: w.pointer, dxT: dxT.pointer,
                                             weightRows: i..<(i + count))
                }
                guard trainable else { continue }
                SmallBatch.weightGradientRows(i, count: count, rows: rows, out: out, xT: xT.pointer,
                                              panels: panels.pointer, d: d.pointer, into: scratch)
                optimizer.update(w.pointer + i * out, gradient: scratch, count: count * out, l1: l1, l2: l2,
                                 m: m.pointer + i * out, v: v.pointer + i * out, stepSize: stepSize)
            }
            guard ahead > 0 else { return }
            for p in (c * block / depth)..<((min(n, (c + 1) * block) + depth - 1) / depth) {
                SmallBatch.forwardPart(p, rows: ahead, n: n, out: out, xT: next.pointer, w: w.pointer, scratch: parts.pointer)
            }
        })
        if let dxT { SmallBatch.transpose(rows: n, n: rows, x: dxT.pointer, into: buffers[k - 1].delta.pointer) }
    }

    /// Batches over `fusedBatch` rows: layer k's weight gradient dW = X^T dZ and its update in
    /// blocks of weight rows (`updateInBlocks`), each block an sgemm on one OpenBLAS thread, or
    /// table lookups for spin inputs (`spinInputProduct`).
    private func blockedGradientPass(_ k: Int, rows: Int, optimizer: Optimizer, stepSize: Float) {
        let (n, out) = (layers[k].inputs, layers[k].outputs)
        let x = Shared(layerInput(k)), d = Shared(buffers[k].delta.pointer)
        let lookup = k == 0 ? spinInputProduct(d.pointer, width: out, rows: rows) : nil
        updateInBlocks(k, rows: rows, optimizer: optimizer, stepSize: stepSize) { i, count, scratch in
            if let lookup {
                lookup(i, count, scratch)
            } else {
                BLAS.sgemm(count, out, rows, x.pointer + i, lda: n, transA: true, d.pointer, ldb: out, scratch, ldc: out)
            }
            return UnsafePointer(scratch)
        }
    }

    /// X^T B for the first layer's spin inputs X (the current batch's `rows` rows) and B (rows x
    /// `width`, a dZ), by table lookup: transposes the input bits and builds B's tables
    /// (`deltaTables`, shared by the blocks), then returns the product of input units i..<i+count
    /// into C (rows `width` apart). nil when the inputs are not spins or the tables do not fit.
    func spinInputProduct(_ b: UnsafePointer<Float>, width: Int, rows: Int) -> (@Sendable (Int, Int, UnsafeMutablePointer<Float>) -> Void)? {
        guard let tables = deltaTables else { return nil }
        BitRows.transpose(inputBits, rows: rows, columns: layers[0].inputs, wordsPerRow: inputWords, into: transposedInputBits,
                          wordsPerColumn: batchWords)
        tables.build(b, ldb: width, values: (1, -1), depth: rows)
        nonisolated(unsafe) let bitsT = transposedInputBits
        let batchWords = batchWords
        return { i, count, c in
            TwoValuedProduct.multiply(rows: count, bits: bitsT + i * batchWords, wordsPerRow: batchWords, tables: tables, c, ldc: width)
        }
    }

    /// Layer k's optimizer update in fixed blocks of weight rows (`gradientBlock`) spread over
    /// the workers: `gradient(first row, rows, scratch)` gives the block's weight gradient (rows
    /// x outputs), written into the worker's scratch region or held elsewhere, and the block is
    /// updated at once (no full gradient buffer to clear, write and read again). The blocks are
    /// fixed by the shapes, so results do not depend on the thread count.
    func updateInBlocks(_ k: Int, rows: Int, optimizer: Optimizer, stepSize: Float,
                        gradient: @escaping @Sendable (Int, Int, UnsafeMutablePointer<Float>) -> UnsafePointer<Float>) {
        let layer = layers[k], buf = buffers[k]
        let w = Shared(buf.weights.pointer), g = Shared(gradientScratch.pointer), region = gradientRegion
        let m = Shared(buf.momentW.pointer), v = Shared(buf.secondW.pointer)
        let (n, out, l1, l2) = (layer.inputs, layer.outputs, layer.l1, layer.l2)
        let block = Workspace.gradientBlock(rows: rows, inputs: n)
        Parallel.forEach((n + block - 1) / block, byWorker: { c, worker in
            let i = c * block, count = min(block, n - i)
            let grad = gradient(i, count, g.pointer + worker * region)
            optimizer.update(w.pointer + i * out, gradient: grad, count: count * out, l1: l1, l2: l2,
                             m: m.pointer + i * out, v: v.pointer + i * out, stepSize: stepSize)
        })
    }

    /// Weight rows per block of `blockedGradientPass` for a batch of `rows` rows: 64, above 256
    /// rows a quarter of the layer (packing dZ once per block would cost more than the cache
    /// saves).
    static func gradientBlock(rows: Int, inputs n: Int) -> Int {
        rows <= 256 ? 64 : max(64, ((n + 3) / 4 + 15) / 16 * 16)
    }

    /// The bias gradient (column sums of dZ) and its update.
    private func updateBias(_ k: Int, rows: Int, optimizer: Optimizer, stepSize: Float) {
        let buf = buffers[k], out = layers[k].outputs
        guard let b = buf.bias, let gb = buf.biasGradient, let m = buf.momentB, let v = buf.secondB else { return }
        gb.pointer.update(repeating: 0, count: out)
        for r in 0..<rows {
            let row = buf.delta.pointer + r * out
            for j in 0..<out { gb.pointer[j] += row[j] }
        }
        optimizer.update(b.pointer, gradient: gb.pointer, count: out, l1: 0, l2: 0,
                         m: m.pointer, v: v.pointer, stepSize: stepSize)
    }

    /// Weights per parallel block of `fusedPass` (rounded to four whole rows).
    static let updateChunk = 1 << 16

    /// Weight rows per parallel block of `fusedPass` for a layer of `out` outputs.
    static func fusedBlock(out: Int) -> Int { max(4, updateChunk / out / 4 * 4) }
    /// Batches up to this many rows use the `SmallBatch` products and `fusedPass`.
    static let fusedBatch = 16

    /// Sets `state` to the optimizer moments after `step` updates by `optimizer`, writing into
    /// its arrays where their sizes match (`FloatBuffer.copy(into:)`).
    func storeMoments(step: Int, optimizer: Optimizer, into state: inout OptimizerState?) {
        var moments = state ?? OptimizerState(step: step, optimizer: optimizer.kind, layers: [])
        state = nil  // `moments` holds the only reference, so its arrays are written in place
        moments.step = step
        moments.optimizer = optimizer.kind
        if moments.layers.count != buffers.count {
            moments.layers = buffers.map { _ in OptimizerState.Moments(weightsFirst: [], weightsSecond: []) }
        }
        for (k, buf) in buffers.enumerated() {
            buf.momentW.copy(into: &moments.layers[k].weightsFirst)
            buf.secondW.copy(into: &moments.layers[k].weightsSecond)
            FloatBuffer.copy(buf.momentB, into: &moments.layers[k].biasFirst)
            FloatBuffer.copy(buf.secondB, into: &moments.layers[k].biasSecond)
        }
        state = moments
    }

    /// The current parameters, one (weights, bias) pair per layer.
    func snapshot() -> [(weights: [Float], bias: [Float]?)] {
        buffers.map { ($0.weights.array, $0.bias?.array) }
    }

    /// Restores parameters taken by `snapshot()`.
    func restore(_ parameters: [(weights: [Float], bias: [Float]?)]) {
        for (buf, p) in zip(buffers, parameters) {
            buf.weights.load(p.weights)
            if let b = p.bias { buf.bias?.load(b) }
        }
    }

    /// The penalty of the current parameters.
    func penalty() -> Double {
        zip(layers, buffers).reduce(0.0) { sum, pair in
            let weights = UnsafeBufferPointer(start: pair.1.weights.pointer, count: pair.1.weights.count)
            return sum + DenseLayer.penalty(weights, l1: pair.0.l1, l2: pair.0.l2)
        }
    }
}
