import Foundation
import RGSNumerics
import RGSPhysics
import RGSNets
import XCTest

/// The autoencoder paper's claims on Monte Carlo lattices at quick sizes (release builds only:
/// `swift test -c release --filter PaperTests`). Paper claims are hypotheses: the measured
/// numbers are printed whether or not they hold.
final class PaperTests: XCTestCase {
    override func setUpWithError() throws {
        #if DEBUG
        throw XCTSkip("paper tests train real nets and run in release builds: swift test -c release")
        #endif
    }

    /// Held-out reconstruction (hinge) loss of the paper's three models on 2,000 lattices of
    /// 32x32 at beta = 0.4352 (1,600 to train, 400 held out): Model-1 (trained AE) < Model-2
    /// (hard-coded decimation encoder, trained decoder) < Model-3 (all four layers trained as
    /// shallow CG/UP nets, then stacked). Paper (30,000 lattices, 4000 epochs): 0.281 < 0.341 < 0.601.
    func testModelOrdering() throws {
        let start = Date()
        let data = try MonteCarlo.sample(SamplingPlan(model: .ising(h: 0), shape: [32, 32], betas: [0.4352],
                                                      samplesPerBeta: 2000, seed: 11), progress: false)
        let train = data.selecting(Array(0..<1600)), test = data.selecting(Array(1600..<2000))
        let half = try decimate(train), quarter = try decimate(half)
        let options = TrainingOptions(epochs: 20, batchSize: 10, validationFraction: 0.2, patience: 3, seed: 3)

        var model1 = try Network.autoencoder(sizes: Network.defaultAutoencoderSizes(inputs: 1024), seed: 1)
        try model1.train(on: train, options: options)

        let hcg1 = try Network.hardCoded(CoarseGraining.matrix(from: 1024, to: 512, rule: .decimate))
        let hcg2 = try Network.hardCoded(CoarseGraining.matrix(from: 512, to: 256, rule: .decimate))
        var model2 = try Network.compose([hcg1, hcg2, .shallow(from: 256, to: 512, seed: 2), .shallow(from: 512, to: 1024, seed: 3)])
        try model2.train(on: train, options: options)

        func shallow(_ from: Ensemble, _ to: Ensemble, seed: UInt64) throws -> Network {
            var net = try Network.shallow(from: from.siteCount, to: to.siteCount, seed: seed)
            try net.train(on: TrainingPairs(from, to), options: options)
            return net
        }
        let model3 = try Network.compose([shallow(train, half, seed: 4), shallow(half, quarter, seed: 5),
                                          shallow(quarter, half, seed: 6), shallow(half, train, seed: 7)])
        let losses = try [model1, model2, model3].map { try $0.loss(on: test) }
        print(String(format: "paper ordering: held-out hinge loss Model-1 %.5f, Model-2 %.5f, Model-3 %.5f (paper 0.281 < 0.341 < 0.601); %.0f s",
                     losses[0], losses[1], losses[2], Date().timeIntervalSince(start)))
        XCTAssertLessThan(losses[0], losses[1], "Model-1 should reconstruct better than Model-2")
        XCTAssertLessThan(losses[1], losses[2], "Model-2 should reconstruct better than Model-3")
    }

    /// The paper's beta regressor (1024 -> 512 tanh -> 1 ReLU, MSE) trained on 8,000 lattices with
    /// beta in [0.1, 0.6) (20 betas) predicts the beta of 2,000 held-out lattices with RMSE < 0.05
    /// (the target; paper: test MSE 0.0035, RMSE 0.059, on 50,000 lattices). Trained as
    /// the paper does, on the lattices as they are, the net memorises this quick set (training
    /// MSE 7e-5, held-out RMSE 0.085 measured); with symmetry augmentation (every epoch a random
    /// translation, rotation/reflection and spin flip of each lattice) and the learning rate
    /// halved after 3 epochs without validation gain, held-out RMSE 0.0435 was measured; with the
    /// output starting at the mean beta as well (`regressor(for:)`, what the language does),
    /// 0.0369 (bit-reproducible: fixed seeds, any thread count).
    func testBetaRegressor() throws {
        let start = Date()
        let betas = (0..<20).map { 0.1 + 0.025 * Double($0) }
        let data = try MonteCarlo.sample(SamplingPlan(model: .ising(h: 0), shape: [32, 32], betas: betas,
                                                      samplesPerBeta: 500, seed: 12), progress: false)
        var random = RandomStream(seed: 13, stream: 0)
        var order = Array(0..<data.count)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, random.below(i + 1)) }
        let cut = data.count * 4 / 5
        let train = data.selecting(Array(order[..<cut])), test = data.selecting(Array(order[cut...]))
        var net = try Network.regressor(for: train, seed: 1)
        try net.train(on: train, options: TrainingOptions(epochs: 100, batchSize: 32, validationFraction: 0.1, patience: 10, seed: 2,
                                                          augment: true, decay: LearningRateDecay(factor: 0.5, patience: 3)))
        let rmse = try net.loss(on: test).squareRoot()
        print(String(format: "paper beta regressor: held-out RMSE %.4f (paper 0.059, target < 0.05); %.0f s",
                     rmse, Date().timeIntervalSince(start)))
        XCTAssertLessThan(rmse, 0.05)
    }
}
