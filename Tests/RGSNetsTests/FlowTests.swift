import RGSNumerics
import RGSPhysics
@testable import RGSNets
import XCTest

/// Autoencoder flows (resampling options) and the beta-flow fixed point.
final class FlowTests: XCTestCase {
    private let data: Ensemble = {
        var random = RandomStream(seed: 1, stream: 0)
        let spins = (0..<(6 * 16)).map { _ in random.below(2) == 0 ? Int8(-1) : 1 }
        return Ensemble(shape: [4, 4], spins: spins, labels: (0..<6).map { SampleLabel(beta: [0.2, 0.4][$0 % 2], model: "ising") })
    }()

    /// A frozen linear net x -> scale * x.
    private func scaling(_ scale: Double) throws -> Network {
        var m = Matrix(rows: 16, columns: 16)
        for i in 0..<16 { m[i, i] = scale }
        return try Network.hardCoded(m)
    }

    func testSignFlowOfIdentityAndNegation() throws {
        let same = try scaling(0.3).flow(from: data, steps: 3)
        XCTAssertEqual(same.steps.count, 4)
        XCTAssertEqual(same.steps[3].packedWords, data.packedWords)
        XCTAssertEqual(same.steps[3].labels, data.labels)
        let flipped = try scaling(-2).flow(from: data, steps: 1)
        XCTAssertEqual(flipped.steps[1].floatMatrix(), data.floatMatrix().map { -$0 })
    }

    func testContinuousAndSampledFlows() throws {
        let halved = try scaling(0.5).flow(from: data, steps: 2, resampling: .continuous)
        XCTAssertFalse(halved.steps[2].isSpin)
        XCTAssertEqual(halved.steps[2].floatMatrix(), data.floatMatrix().map { $0 / 4 })
        // Outputs +-2 clip to probabilities 1 and 0: sampling reproduces the signs.
        let sampled = try scaling(2).flow(from: data, steps: 1, resampling: .sample(seed: 3))
        XCTAssertEqual(sampled.steps[1].packedWords, data.packedWords)
        // Output 0 gives fair coins: about half up, reproducibly for a seed.
        let coins = try scaling(0).flow(from: data, steps: 1, resampling: .sample(seed: 3))
        let up = coins.steps[1].floatMatrix().filter { $0 > 0 }.count
        XCTAssertEqual(Double(up), 48, accuracy: 4 * 4)   // binomial(96, 1/2): sigma ~ 4.9, 4 sigma
        XCTAssertEqual(coins.steps[1].packedWords, try scaling(0).flow(from: data, steps: 1, resampling: .sample(seed: 3)).steps[1].packedWords)
        XCTAssertThrowsError(try Network.hardCoded(Matrix(rows: 16, columns: 8)).flow(from: data, steps: 1))
    }

    func testCrossingAndLineFit() {
        XCTAssertEqual(BetaFlow.crossing(x: [0.3, 0.1, 0.2], y: [0.25, 0.2, 0.25]) ?? 0, 0.25, accuracy: 1e-12)
        XCTAssertNil(BetaFlow.crossing(x: [0.1, 0.2], y: [0.3, 0.4]))
        let x = [0.1, 0.2, 0.4, 0.5]
        let flow = BetaFlow(beta: x, input: x.map { Measurement($0, error: 0) },
                            output: x.map { Measurement(0.5 * $0 + 0.125, error: 0) })
        XCTAssertEqual(flow.lineFitFixedPoint ?? 0, 0.25, accuracy: 1e-12)
        XCTAssertEqual(flow.fixedPoint ?? 0, 0.25, accuracy: 1e-12)
    }

    func testBetaFlowMeasuresInputAndOutput() throws {
        // A "regressor" reading beta = 0.3 + m / 10 from the magnetisation m.
        let layer = try DenseLayer(weights: Array(repeating: 1 / 160, count: 16), inputs: 16, outputs: 1, bias: [0.3])
        let regressor = try Network(layers: [layer], loss: .mse, role: .regressor(.beta))
        let flow = try scaling(-1).betaFlow(on: data, regressor: regressor)
        XCTAssertEqual(flow.beta, [0.2, 0.4])
        for k in 0..<2 { XCTAssertEqual(flow.output[k].value - 0.3, -(flow.input[k].value - 0.3), accuracy: 1e-6) }
        XCTAssertEqual(flow.table.rowCount, 2)
        let table = try regressor.measure(scaling(-1).flow(from: data, steps: 2))
        XCTAssertEqual(table.column("step")?.values, [0, 0, 1, 1, 2, 2])
        XCTAssertEqual(table.column("beta")?.values, [0.2, 0.4, 0.2, 0.4, 0.2, 0.4])
        XCTAssertEqual(table.column("predicted")!.values[4], flow.input[0].value, accuracy: 1e-6)
        XCTAssertThrowsError(try scaling(1).betaFlow(on: data, regressor: scaling(1)))
    }
}
