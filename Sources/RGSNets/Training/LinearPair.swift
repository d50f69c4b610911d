import RGSNumerics

/// Two consecutive trainable layers a and a + 1 (n -> m -> p units), both linear and without
/// bias, whose products a workspace takes through P = W_a W_{a+1} (n x p) instead of through
/// the m hidden units, when that is less work (`Workspace.linearPairs`).
///
/// Forward: Y = X P. Backward, with Q = X^T dZ (n x p): dW_a = Q W_{a+1}^T,
/// dW_{a+1} = W_a^T Q and dX = dZ P^T: the same gradients as layer by layer (the products are
/// only reassociated), so results agree up to float rounding. For Model-1 at batch 1000 this is
/// a third fewer multiply-adds: the 256 -> 512 -> 1024 decoder costs n m p = 134 M per product
/// of weights instead of 655 K per row.
struct LinearPair {
    /// The first layer of the pair.
    let first: Int
    /// P = W_a W_{a+1}, formed by each forward pass from the current weights.
    let product: FloatBuffer
    /// Q = X^T dZ of the current batch.
    let contracted: FloatBuffer
    /// The smaller of the two weight gradients, held while the other layer is updated: each
    /// gradient needs the other layer's weights as they were before the step.
    let gradient: FloatBuffer

    /// `training`: the buffers of the backward pass too (an evaluation only forms P).
    init(first: Int, inputs n: Int, hidden m: Int, outputs p: Int, training: Bool = true) {
        self.first = first
        (product, contracted) = (FloatBuffer(n * p), FloatBuffer(training ? n * p : 0))
        gradient = FloatBuffer(training ? min(n, p) * m : 0)
    }

    /// The floats of a pair's buffers.
    static func floats(inputs n: Int, hidden m: Int, outputs p: Int) -> Int { 2 * n * p + min(n, p) * m }

    /// Multiply-adds of a table-lookup product (spin inputs) per multiply-add of sgemm, for the
    /// choice of pairs: about 0.6-0.7 measured on Model-1's first layer.
    static let lookupCost = 0.65

    /// Whether a pair of layers `inputs` -> `hidden` -> `outputs` costs fewer multiply-adds per
    /// step through P than layer by layer at batch `rows`. `spinProducts`: X is spins, so
    /// its products go by lookup; `inputGradient`: an earlier layer is trainable, so dX is
    /// needed.
    static func saves(rows: Int, inputs n: Int, hidden m: Int, outputs p: Int, spinProducts: Bool, inputGradient: Bool) -> Bool {
        let (r, n, m, p) = (Double(rows), Double(n), Double(m), Double(p))
        let s = spinProducts ? lookupCost : 1, dx = inputGradient ? 1.0 : 0
        // Layer by layer: forward X W_a and Y_a W_{a+1}; dY_a, both weight gradients, dX.
        let layered = 2 * s * r * n * m + 3 * r * m * p + dx * r * n * m
        // Through P: P and the two weight gradients, X P and Q, dX.
        let paired = 3 * n * m * p + 2 * s * r * n * p + dx * r * n * p
        return paired < layered
    }

    /// Whether evaluating `rows` rows in all (fixed weights: P is formed once) costs fewer
    /// multiply-adds through P than layer by layer.
    static func savesInEvaluation(rows: Int, inputs n: Int, hidden m: Int, outputs p: Int, spinProducts: Bool) -> Bool {
        let (r, n, m, p) = (Double(rows), Double(n), Double(m), Double(p))
        let s = spinProducts ? lookupCost : 1
        return n * m * p + r * s * n * p < r * (s * n * m + m * p)
    }
}

extension Workspace {
    /// The pairs of a training workspace for `network` at `batchCapacity` rows, chosen from the
    /// first layer on, each where it saves work (`LinearPair.saves`); none for batches of the
    /// `fusedBatch` path.
    static func linearPairs(_ network: Network, batchCapacity: Int, spinProducts: Bool) -> [Int] {
        guard batchCapacity > fusedBatch, let firstTrainable = network.layers.firstIndex(where: \.trainable) else { return [] }
        return pairStarts(network, trainable: true) { a, x, y in
            LinearPair.saves(rows: batchCapacity, inputs: x.inputs, hidden: x.outputs, outputs: y.outputs,
                             spinProducts: spinProducts && a == 0, inputGradient: a > firstTrainable)
        }
    }

    /// The pairs of an evaluation workspace for `network` (trainable or not) that runs `rows`
    /// rows in all, each where it saves work (`LinearPair.savesInEvaluation`).
    static func evaluationPairs(_ network: Network, rows: Int, spinProducts: Bool) -> [Int] {
        pairStarts(network, trainable: false) { a, x, y in
            LinearPair.savesInEvaluation(rows: rows, inputs: x.inputs, hidden: x.outputs, outputs: y.outputs,
                                         spinProducts: spinProducts && a == 0)
        }
    }

    /// The first layers of pairs of consecutive linear bias-free layers (both trainable if
    /// `trainable`), from the first layer on, taking each pair where `saves(first, x, y)`.
    private static func pairStarts(_ network: Network, trainable: Bool, saves: (Int, DenseLayer, DenseLayer) -> Bool) -> [Int] {
        let layers = network.layers
        var starts: [Int] = [], a = 0
        while a + 1 < layers.count {
            let (x, y) = (layers[a], layers[a + 1])
            let plain = [x, y].allSatisfy { $0.activation == .linear && $0.bias == nil && ($0.trainable || !trainable) }
            if plain, saves(a, x, y) {
                starts.append(a)
                a += 2
            } else {
                a += 1
            }
        }
        return starts
    }

    /// The floats of the pairs' buffers a training workspace for `network` at `batchCapacity`
    /// rows may hold (with or without spin inputs).
    static func linearPairFloats(_ network: Network, batchCapacity: Int) -> Int {
        let starts = Set([true, false].flatMap { linearPairs(network, batchCapacity: batchCapacity, spinProducts: $0) })
        return starts.reduce(0) { sum, a in
            let (x, y) = (network.layers[a], network.layers[a + 1])
            return sum + LinearPair.floats(inputs: x.inputs, hidden: x.outputs, outputs: y.outputs)
        }
    }

    /// The forward pass of `pair` on `rows` rows of its input x: P (in training; an evaluation
    /// workspace forms it once, `formProduct`), then Y = X P into the second layer's outputs.
    func forward(_ pair: LinearPair, rows: Int, x: UnsafePointer<Float>) {
        let a = pair.first, (n, p) = (layers[a].inputs, layers[a + 1].outputs)
        let product = pair.product.pointer, y = buffers[a + 1].outputs.pointer
        if training { formProduct(pair) }
        if spinInputs, a == 0 {
            TwoValuedProduct.multiply(rows: rows, depth: n, width: p, bits: inputBits, wordsPerRow: inputWords, values: (1, -1),
                                      product, ldb: p, y, ldc: p, parallel: true)
        } else {
            BLAS.sgemm(rows, p, n, x, product, y, blocked: true)
        }
    }

    /// P = W_a W_b of `pair` from the current weights.
    func formProduct(_ pair: LinearPair) {
        let a = pair.first, (n, m, p) = (layers[a].inputs, layers[a].outputs, layers[a + 1].outputs)
        BLAS.sgemm(n, p, m, buffers[a].weights.pointer, buffers[a + 1].weights.pointer, pair.product.pointer, blocked: true)
    }

    /// The backward pass of `pair` from the second layer's dZ: dX (if an earlier layer is
    /// trainable), Q, then both layers' gradients and updates, the smaller gradient held in
    /// `pair.gradient` while the other layer is updated block by block.
    func backpropagate(_ pair: LinearPair, rows: Int, optimizer: Optimizer, stepSize: Float) {
        let a = pair.first, b = a + 1
        let (n, m, p) = (layers[a].inputs, layers[a].outputs, layers[b].outputs)
        let dz = buffers[b].delta.pointer, q = Shared(pair.contracted.pointer), held = pair.gradient.pointer
        let wa = Shared(buffers[a].weights.pointer), wb = Shared(buffers[b].weights.pointer)
        if a > firstTrainable {
            BLAS.sgemm(rows, n, p, dz, pair.product.pointer, transB: true, buffers[a - 1].delta.pointer, blocked: true)
        }
        contract(pair, rows: rows)
        if n <= p {
            BLAS.sgemm(n, m, p, q.pointer, wb.pointer, transB: true, held, blocked: true)
            updateInBlocks(b, rows: rows, optimizer: optimizer, stepSize: stepSize) { i, count, scratch in
                BLAS.sgemm(count, p, n, wa.pointer + i, lda: m, transA: true, q.pointer, ldb: p, scratch, ldc: p)
                return UnsafePointer(scratch)
            }
            let g = Shared(held)
            updateInBlocks(a, rows: rows, optimizer: optimizer, stepSize: stepSize) { i, _, _ in UnsafePointer(g.pointer + i * m) }
        } else {
            BLAS.sgemm(m, p, n, wa.pointer, transA: true, q.pointer, held, blocked: true)
            updateInBlocks(a, rows: rows, optimizer: optimizer, stepSize: stepSize) { i, count, scratch in
                BLAS.sgemm(count, m, p, q.pointer + i * p, lda: p, wb.pointer, ldb: p, transB: true, scratch, ldc: m)
                return UnsafePointer(scratch)
            }
            let g = Shared(held)
            updateInBlocks(b, rows: rows, optimizer: optimizer, stepSize: stepSize) { i, _, _ in UnsafePointer(g.pointer + i * p) }
        }
    }

    /// Q = X^T dZ for `pair`: by table lookup on spin inputs (`spinInputProduct`), in blocks of
    /// input units over the workers, else by sgemm.
    private func contract(_ pair: LinearPair, rows: Int) {
        let a = pair.first, (n, p) = (layers[a].inputs, layers[a + 1].outputs)
        let dz = buffers[a + 1].delta.pointer, q = Shared(pair.contracted.pointer)
        guard a == 0, let lookup = spinInputProduct(dz, width: p, rows: rows) else {
            return BLAS.sgemm(n, p, rows, layerInput(a), transA: true, dz, q.pointer, blocked: true)
        }
        let block = Workspace.gradientBlock(rows: rows, inputs: n)
        Parallel.forEach((n + block - 1) / block) { c in lookup(c * block, min(block, n - c * block), q.pointer + c * block * p) }
    }
}
