import RGSNumerics
@testable import RGSNets
import XCTest

/// Finite-difference checks of backpropagation, the losses and the penalties.
///
/// Float32 path: the objective (mean data loss + penalty) is accumulated in double from float32
/// forward passes and differentiated by central differences with step h = 3e-3. Float32 rounding
/// gives ~1e-5 of noise and the truncation error is O(h^2); we require
/// |fd - analytic| <= 2e-3 + 2e-2 |analytic| for every weight and bias. The analytic gradient is
/// read off one SGD step with learning rate 1 (w_before - w_after), so it includes the penalty
/// gradient exactly as training applies it. Where the central difference straddles a kink (relu,
/// hinge, |w|), the analytic gradient must match one of the one-sided differences (error O(h),
/// tolerance +5e-3) instead; at most 5% of the parameters may be such kinks.
final class GradientCheckTests: XCTestCase {
    func testEveryActivationAndLoss() throws {
        let cases: [(hidden: Activation, output: Activation, loss: Loss)] = [
            (.linear, .linear, .mse), (.tanh, .linear, .mse), (.sigmoid, .tanh, .hinge),
            (.relu, .linear, .hinge), (.tanh, .sigmoid, .binaryCrossEntropy),
            (.sigmoid, .softmax, .categoricalCrossEntropy), (.relu, .relu, .mse), (.linear, .softmax, .mse),
        ]
        // 6 rows take the small-batch pass, 20 rows the sgemm path.
        for rows in [6, 20] {
            for (n, c) in cases.enumerated() {
                try checkGradient(hidden: c.hidden, output: c.output, loss: c.loss, bias: true, l1: 0, l2: 0,
                                  seed: UInt64(n), rows: rows)
            }
        }
    }

    func testPenalties() throws {
        try checkGradient(hidden: .tanh, output: .linear, loss: .mse, bias: false, l1: 0.01, l2: 0, seed: 11)
        try checkGradient(hidden: .tanh, output: .linear, loss: .hinge, bias: true, l1: 0, l2: 0.05, seed: 12)
        try checkGradient(hidden: .linear, output: .linear, loss: .hinge, bias: false, l1: 0.02, l2: 0.03, seed: 13)
        try checkGradient(hidden: .linear, output: .linear, loss: .hinge, bias: true, l1: 0.02, l2: 0.03, seed: 14, rows: 20)
    }

    func testFrozenLayerKeepsWeightsAndPassesGradient() throws {
        var net = try makeNet(hidden: .tanh, output: .linear, loss: .mse, bias: true, l1: 0, l2: 0, seed: 3)
        net = try net.freezing(layers: [1])
        let before = net.layers[1]
        for rows in [6, 20] {
            let work = batch(for: net, seed: 3, rows: rows)
            work.forward(rows: rows)
            work.backpropagate(net.loss, rows: rows, optimizer: .sgd(learningRate: 1), step: 1)
            XCTAssertEqual(work.buffers[1].weights.array, before.weights)
            XCTAssertNotEqual(work.buffers[0].weights.array, net.layers[0].weights)
        }
    }

    // MARK: helpers

    private func makeNet(hidden: Activation, output: Activation, loss: Loss, bias: Bool, l1: Float, l2: Float,
                         seed: UInt64) throws -> Network {
        let a = try DenseLayer(inputs: 5, outputs: 4, activation: hidden, bias: bias, l1: l1, l2: l2, seed: seed, stream: 0)
        let b = try DenseLayer(inputs: 4, outputs: 3, activation: output, bias: bias, l1: l1, l2: l2, seed: seed, stream: 1)
        var net = try Network(layers: [a, b], loss: loss, optimizer: .sgd(learningRate: 1))
        // Non-zero biases so their gradients are exercised away from the symmetric start.
        var random = RandomStream(seed: seed, stream: 99)
        for k in net.layers.indices where net.layers[k].bias != nil {
            net.layers[k].bias = (0..<net.layers[k].outputs).map { _ in random.uniformFloat() - 0.5 }
        }
        return net
    }

    /// A workspace loaded with `rows` random rows and loss-appropriate targets.
    private func batch(for net: Network, seed: UInt64, rows: Int) -> Workspace {
        let work = Workspace(network: net, batchCapacity: rows, training: true)
        var random = RandomStream(seed: seed, stream: 7)
        for i in 0..<(rows * net.inputCount) { work.input.pointer[i] = 2 * random.uniformFloat() - 1 }
        let width = net.outputCount
        for r in 0..<rows {
            for j in 0..<width {
                let u = random.uniformFloat()
                let y: Float
                switch net.loss {
                case .mse: y = 2 * u - 1
                case .hinge: y = u < 0.5 ? -1 : 1
                case .binaryCrossEntropy: y = u
                case .categoricalCrossEntropy: y = j == r % width ? 1 : 0
                }
                work.target.pointer[r * width + j] = y
            }
        }
        return work
    }

    private func checkGradient(hidden: Activation, output: Activation, loss: Loss, bias: Bool, l1: Float, l2: Float,
                               seed: UInt64, rows: Int = 6, file: StaticString = #filePath, line: UInt = #line) throws {
        let net = try makeNet(hidden: hidden, output: output, loss: loss, bias: bias, l1: l1, l2: l2, seed: seed)
        let work = batch(for: net, seed: seed, rows: rows)
        let objective = { () -> Double in
            work.forward(rows: rows)
            return work.batchLoss(loss, rows: rows) / Double(rows) + work.penalty()
        }
        let start = work.snapshot()
        _ = objective()
        work.backpropagate(loss, rows: rows, optimizer: .sgd(learningRate: 1), step: 1)
        let stepped = work.snapshot()
        work.restore(start)
        let h: Float = 3e-3
        let centre = objective()
        var checked = 0, kinks = 0
        for (k, buf) in work.buffers.enumerated() {
            let arrays = [(buf.weights, start[k].weights, stepped[k].weights)]
                + (buf.bias.map { [($0, start[k].bias!, stepped[k].bias!)] } ?? [])
            for (param, before, after) in arrays {
                for i in 0..<param.count {
                    let analytic = Double(before[i] - after[i])
                    param.pointer[i] = before[i] + h
                    let up = objective()
                    param.pointer[i] = before[i] - h
                    let down = objective()
                    param.pointer[i] = before[i]
                    let tolerance = 2e-3 + 2e-2 * abs(analytic)
                    let message = "\(hidden)/\(output)/\(loss) layer \(k) parameter \(i)"
                    checked += 1
                    if abs((up - down) / Double(2 * h) - analytic) <= tolerance { continue }
                    kinks += 1
                    let oneSided = min(abs((up - centre) / Double(h) - analytic), abs((centre - down) / Double(h) - analytic))
                    XCTAssertLessThanOrEqual(oneSided, tolerance + 5e-3, message, file: file, line: line)
                }
            }
        }
        XCTAssertLessThanOrEqual(kinks * 20, checked, "too many kinks", file: file, line: line)
    }
}

/// The small-batch products against sgemm (tiled and leftover rows and columns).
final class SmallBatchTests: XCTestCase {
    func testProductsMatchSgemm() {
        var random = RandomStream(seed: 3, stream: 0)
        for (rows, n, out) in [(10, 70, 128), (7, 33, 80), (3, 5, 1), (16, 128, 64), (15, 40, 256), (12, 17, 24), (1, 3, 8), (10, 600, 200)] {
            let x = (0..<(rows * n)).map { _ in random.uniformFloat() - 0.5 }
            let w = (0..<(n * out)).map { _ in random.uniformFloat() - 0.5 }
            let d = (0..<(rows * out)).map { _ in random.uniformFloat() - 0.5 }
            var y = [Float](repeating: 0, count: rows * out), yRef = y
            var dx = [Float](repeating: 0, count: rows * n), dxRef = dx
            var xT = [Float](repeating: 0, count: n * rows)
            SmallBatch.transpose(rows: rows, n: n, x: x, into: &xT)
            var scratch = [Float](repeating: 0, count: SmallBatch.forwardScratch(rows: rows, n: n, out: out))
            SmallBatch.forward(rows: rows, n: n, out: out, xT: xT, w: w, y: &y, scratch: &scratch)
            BLAS.sgemm(rows, out, n, x, w, &yRef)
            var dxT = dx
            SmallBatch.inputGradient(rows: rows, n: n, out: out, d: d, w: w, dxT: &dxT, weightRows: 0..<n)
            SmallBatch.transpose(rows: n, n: rows, x: dxT, into: &dx)
            BLAS.sgemm(rows, n, out, d, w, transB: true, &dxRef)
            for (a, b) in zip(y + dx, yRef + dxRef) { XCTAssertEqual(a, b, accuracy: 1e-4, "\(rows)x\(n)x\(out)") }
        }
    }
}

extension SmallBatchTests {
    func testWeightGradientRowsMatchSgemm() {
        var random = RandomStream(seed: 4, stream: 0)
        for (rows, n, out) in [(10, 7, 128), (3, 5, 70), (100, 9, 192)] {
            let x = (0..<(rows * n)).map { _ in random.uniformFloat() - 0.5 }
            let d = (0..<(rows * out)).map { _ in random.uniformFloat() - 0.5 }
            var reference = [Float](repeating: 0, count: n * out), block = [Float](repeating: 0, count: 4 * out)
            BLAS.sgemm(n, out, rows, x, transA: true, d, &reference)
            var xT = [Float](repeating: 0, count: n * rows), panels = [Float](repeating: 0, count: rows * out)
            SmallBatch.transpose(rows: rows, n: n, x: x, into: &xT)
            SmallBatch.pack(rows: rows, out: out, d: d, into: &panels)
            for i in stride(from: 0, to: n, by: 4) {
                let count = min(4, n - i)
                SmallBatch.weightGradientRows(i, count: count, rows: rows, out: out, xT: xT, panels: panels, d: d,
                                              into: &block)
                for j in 0..<(count * out) {
                    XCTAssertEqual(block[j], reference[i * out + j], accuracy: 1e-4, "\(rows)x\(n)x\(out)")
                }
            }
        }
    }
}

extension SmallBatchTests {
    /// The small-batch forward's exact sums, bit for bit, against a scalar rendering of its
    /// documented order: per range of `forwardDepth` weight rows a fused multiply-add chain from
    /// zero over k, then the ranges added in order. A change of block size or tile must leave
    /// every bit alone (training results are promised bit-identical across such changes).
    func testForwardSumsInTheDocumentedOrder() {
        var random = RandomStream(seed: 5, stream: 0)
        for (rows, n, out) in [(10, 300, 24), (7, 129, 128), (1, 40, 8), (16, 256, 200), (5, 17, 16)] {
            let x = (0..<(rows * n)).map { _ in random.uniformFloat() - 0.5 }
            let w = (0..<(n * out)).map { _ in random.uniformFloat() - 0.5 }
            var xT = [Float](repeating: 0, count: n * rows), y = [Float](repeating: .nan, count: rows * out)
            SmallBatch.transpose(rows: rows, n: n, x: x, into: &xT)
            var scratch = [Float](repeating: .nan, count: SmallBatch.forwardScratch(rows: rows, n: n, out: out))
            SmallBatch.forward(rows: rows, n: n, out: out, xT: xT, w: w, y: &y, scratch: &scratch)
            let depth = SmallBatch.forwardDepth
            for b in 0..<rows {
                for j in 0..<out {
                    var total: Float = 0
                    for start in stride(from: 0, to: n, by: depth) {
                        var part: Float = 0
                        for k in start..<min(n, start + depth) { part = part.addingProduct(x[b * n + k], w[k * out + j]) }
                        total = start == 0 ? part : total + part
                    }
                    XCTAssertEqual(y[b * out + j].bitPattern, total.bitPattern, "\(rows)x\(n)x\(out) at (\(b), \(j))")
                }
            }
        }
    }
}

extension SmallBatchTests {
    /// The small-batch weight gradient's exact sums, bit for bit: each element of the whole
    /// 16-column panels is a fused multiply-add chain from zero over the batch rows in order, and
    /// the last columns (past a multiple of 16) a plain multiply-then-add loop, whatever the tile.
    func testWeightGradientSumsInTheDocumentedOrder() {
        var random = RandomStream(seed: 6, stream: 0)
        for (rows, n, out) in [(10, 7, 128), (3, 5, 70), (16, 9, 40), (1, 4, 16)] {
            let x = (0..<(rows * n)).map { _ in random.uniformFloat() - 0.5 }
            let d = (0..<(rows * out)).map { _ in random.uniformFloat() - 0.5 }
            var xT = [Float](repeating: 0, count: n * rows), panels = [Float](repeating: 0, count: rows * out)
            SmallBatch.transpose(rows: rows, n: n, x: x, into: &xT)
            SmallBatch.pack(rows: rows, out: out, d: d, into: &panels)
            var block = [Float](repeating: .nan, count: 4 * out)
            for i in stride(from: 0, to: n, by: 4) {
                let count = min(4, n - i)
                SmallBatch.weightGradientRows(i, count: count, rows: rows, out: out, xT: xT, panels: panels, d: d,
                                              into: &block)
                for r in 0..<count {
                    for j in 0..<out {
                        var sum: Float = 0
                        for b in 0..<rows {
                            let (xv, dv) = (x[b * n + i + r], d[b * out + j])
                            sum = j < out / 16 * 16 ? sum.addingProduct(xv, dv) : sum + xv * dv
                        }
                        XCTAssertEqual(block[r * out + j].bitPattern, sum.bitPattern, "\(rows)x\(n)x\(out) at (\(i + r), \(j))")
                    }
                }
            }
        }
    }
}
