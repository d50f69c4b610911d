import RGSNumerics

/// The working copy of a network's parameters plus every buffer one minibatch step needs,
/// allocated once for a maximum batch size: forward pass, backward pass and optimizer update on
/// whole minibatches with sgemm.
final class Workspace {
    struct LayerBuffers {
        let weights: FloatBuffer
        let bias: FloatBuffer?
        /// Activations (batch x outputs).
        let outputs: FloatBuffer
        /// dLoss/d(pre-activation), then reused as dLoss/d(output) of the previous layer.
        let delta: FloatBuffer
        let weightGradient: FloatBuffer
        let biasGradient: FloatBuffer?
        /// Optimizer moments (first, second) for weights and bias.
        let momentW: FloatBuffer, secondW: FloatBuffer
        let momentB: FloatBuffer?, secondB: FloatBuffer?
    }

    let layers: [DenseLayer]
    let buffers: [LayerBuffers]
    let batchCapacity: Int
    /// The input of the current batch (batch x inputs) and its targets (batch x outputs).
    let input: FloatBuffer
    let target: FloatBuffer
    /// Backpropagation stops at the first trainable layer: frozen layers before it need no
    /// input gradient.
    let firstTrainable: Int
    /// Rows of the last backward pass when its weight gradients were left to `update` (small
    /// batches), 0 when they are in the gradient buffers.
    private var fusedRows = 0

    init(network: Network, batchCapacity: Int, training: Bool) {
        layers = network.layers
        self.batchCapacity = batchCapacity
        input = FloatBuffer(batchCapacity * network.inputCount)
        target = FloatBuffer(training ? batchCapacity * network.outputCount : 0)
        firstTrainable = network.layers.firstIndex(where: \.trainable) ?? network.layers.count
        buffers = network.layers.map { layer in
            let grad = training && layer.trainable
            let w = grad ? layer.weights.count : 0
            let b = grad ? layer.outputs : 0
            return LayerBuffers(
                weights: FloatBuffer(layer.weights), bias: layer.bias.map { FloatBuffer($0) },
                outputs: FloatBuffer(batchCapacity * layer.outputs),
                delta: FloatBuffer(training ? batchCapacity * layer.outputs : 0),
                weightGradient: FloatBuffer(w), biasGradient: layer.bias.map { _ in FloatBuffer(b) },
                momentW: FloatBuffer(w), secondW: FloatBuffer(w),
                momentB: layer.bias.map { _ in FloatBuffer(b) }, secondB: layer.bias.map { _ in FloatBuffer(b) })
        }
    }

    /// The network's output for the current batch.
    var output: UnsafeMutablePointer<Float> { buffers[buffers.count - 1].outputs.pointer }

    /// Runs `rows` rows of `input` through every layer.
    func forward(rows: Int) {
        var x = UnsafePointer(input.pointer)
        for (layer, buf) in zip(layers, buffers) {
            let y = buf.outputs.pointer
            if rows <= Workspace.fusedBatch {
                SmallBatch.forward(rows: rows, n: layer.inputs, out: layer.outputs, x: x, w: buf.weights.pointer, y: y)
            } else {
                BLAS.sgemm(rows, layer.outputs, layer.inputs, x, buf.weights.pointer, y)
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

    /// Backpropagates the batch-mean loss of the current batch into the gradient buffers of the
    /// trainable layers (call after `forward`).
    func backward(_ loss: Loss, rows: Int) {
        let last = layers.count - 1
        fusedRows = rows <= Workspace.fusedBatch ? rows : 0
        loss.gradient(output, target.pointer, into: buffers[last].delta.pointer, rows: rows,
                      width: layers[last].outputs)
        for k in stride(from: last, through: firstTrainable, by: -1) {
            let layer = layers[k], buf = buffers[k]
            let d = buf.delta.pointer
            layer.activation.backward(d, outputs: buf.outputs.pointer, rows: rows, width: layer.outputs)
            let x = k == 0 ? UnsafePointer(input.pointer) : UnsafePointer(buffers[k - 1].outputs.pointer)
            if layer.trainable {
                // dW = X^T dZ (inputs x outputs), unless `update` forms it row by row; db = column
                // sums of dZ.
                if fusedRows == 0 {
                    BLAS.sgemm(layer.inputs, layer.outputs, rows, x, transA: true, d, buf.weightGradient.pointer)
                }
                if let gb = buf.biasGradient?.pointer {
                    gb.update(repeating: 0, count: layer.outputs)
                    for r in 0..<rows {
                        let row = d + r * layer.outputs
                        for j in 0..<layer.outputs { gb[j] += row[j] }
                    }
                }
            }
            if k > firstTrainable {
                // dX = dZ W^T (rows x inputs), the output gradient of layer k - 1.
                if fusedRows > 0 {
                    SmallBatch.inputGradient(rows: rows, n: layer.inputs, out: layer.outputs, d: d,
                                             w: buf.weights.pointer, dx: buffers[k - 1].delta.pointer)
                } else {
                    BLAS.sgemm(rows, layer.inputs, layer.outputs, d, buf.weights.pointer, transB: true,
                               buffers[k - 1].delta.pointer)
                }
            }
        }
    }

    /// Applies one optimizer step (update number `step`, from 1) to every trainable layer.
    ///
    /// The update is elementwise and memory-bound, so weight arrays are split into fixed blocks
    /// of whole rows spread over `Settings.threads` (the split does not depend on the thread
    /// count). For small batches (at most `fusedBatch` rows) the weight gradient row i,
    /// sum_b x[b, i] dZ[b, :], is formed here just before its update, in a cache-resident scratch
    /// row, instead of by an sgemm into the full gradient buffer: this halves the memory traffic of
    /// a batch-10 step, which the optimizer pass dominates (RECIPES §11).
    func update(_ optimizer: Optimizer, step: Int) {
        let stepSize = optimizer.stepSize(step)
        for k in layers.indices where layers[k].trainable {
            let layer = layers[k], buf = buffers[k]
            let w = Shared(buf.weights.pointer), g = Shared(buf.weightGradient.pointer)
            let m = Shared(buf.momentW.pointer), v = Shared(buf.secondW.pointer)
            let x = Shared(k == 0 ? input.pointer : buffers[k - 1].outputs.pointer), d = Shared(buf.delta.pointer)
            let (n, out, rows, l1, l2) = (layer.inputs, layer.outputs, fusedRows, layer.l1, layer.l2)
            let block = max(1, Workspace.updateChunk / out)
            Parallel.forEach((n + block - 1) / block) { c in
                let first = c * block, last = min(n, first + block)
                guard rows > 0 else {
                    let start = first * out
                    optimizer.update(w.pointer + start, gradient: g.pointer + start, count: (last - first) * out,
                                     l1: l1, l2: l2, m: m.pointer + start, v: v.pointer + start, stepSize: stepSize)
                    return
                }
                let scratch = g.pointer + c * out
                for i in first..<last {
                    SmallBatch.weightGradientRow(i, rows: rows, n: n, out: out, x: x.pointer, d: d.pointer, into: scratch)
                    optimizer.update(w.pointer + i * out, gradient: scratch, count: out, l1: l1, l2: l2,
                                     m: m.pointer + i * out, v: v.pointer + i * out, stepSize: stepSize)
                }
            }
            if let b = buf.bias, let gb = buf.biasGradient, let m = buf.momentB, let v = buf.secondB {
                optimizer.update(b.pointer, gradient: gb.pointer, count: layer.outputs, l1: 0, l2: 0,
                                 m: m.pointer, v: v.pointer, stepSize: stepSize)
            }
        }
    }

    /// Weights per parallel optimizer block (rounded to whole rows).
    static let updateChunk = 1 << 16
    /// Batches up to this many rows use the `SmallBatch` products and form weight gradients
    /// inside the optimizer pass.
    static let fusedBatch = 16

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

/// A buffer pointer handed to parallel workers that touch disjoint ranges of it.
struct Shared: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    init(_ pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
}
