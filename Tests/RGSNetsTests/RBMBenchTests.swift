import Foundation
import XCTest
import RGSNumerics
import RGSPhysics
import RGSNets

/// CD-1 training speed at the papers' sizes (bench/rbm/run); skipped unless RGS_BENCH=1.
final class RBMBenchTests: XCTestCase {
    /// Prints "rgs rbm <visible>-><hidden> batch <b>: <s/epoch>, <epochs/s>" for each size (one warm-up
    /// epoch, then the mean over one call training `epochs` epochs).
    func testCD1EpochsPerSecond() throws {
        guard ProcessInfo.processInfo.environment["RGS_BENCH"] == "1" else { throw XCTSkip("set RGS_BENCH=1") }
        let only = ProcessInfo.processInfo.environment["RGS_BENCH_SIZE"]
        if let threads = ProcessInfo.processInfo.environment["RGS_THREADS"].flatMap(Int.init) { Settings.threads = threads }
        for (visible, hidden, batch, epochs) in [(100, 81, 1000, 20), (4096, 1024, 100, 1)] {
            if let only, only != "\(visible)" { continue }
            let side = Int(Double(visible).squareRoot())
            var stream = RandomStream(seed: 1, stream: 0)
            let samples = 30_000
            let spins = (0..<(samples * visible)).map { _ in Int8(stream.next() >> 63 == 1 ? 1 : -1) }
            let data = Ensemble(shape: [side, side], spins: spins,
                                labels: Array(repeating: SampleLabel(beta: 1, model: "bench"), count: samples))
            var options = RBMTrainingOptions(learningRate: 0.01, momentum: 0.5, batch: batch, epochs: 1, seed: 1,
                                             validationFraction: 0, monitors: false)
            var rbm = try RBM(visibleShape: [side, side], hidden: hidden, seed: 1)
            try rbm.train(on: data, options: options)   // warm-up
            options.epochs = epochs
            let start = DispatchTime.now().uptimeNanoseconds
            try rbm.train(on: data, options: options)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9 / Double(epochs)
            print(String(format: "rgs rbm %d->%d batch %d: %.4f s/epoch, %.2f epochs/s", visible, hidden, batch, seconds, 1 / seconds))
        }
    }
}
