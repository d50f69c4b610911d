import Foundation
import RGSNumerics
import RGSNets
import XCTest

/// Training throughput of the autoencoder paper's nets (bench/nets/run); skipped unless
/// RGS_BENCH=1 (RGS_THREADS sets the threads, RGS_BENCH_ONLY=<case> runs one case). Prints one
/// "rgs <case> <samples/s>" line per case, best of three epochs after a warm-up epoch (and with
/// one thread an "rgs-cpu" line: samples per CPU second of the training thread), after an
/// "rgs-kernels" line naming OpenBLAS's kernels.
final class NetsBenchmark: XCTestCase {
    func testTrainingThroughput() throws {
        guard ProcessInfo.processInfo.environment["RGS_BENCH"] == "1" else { throw XCTSkip("set RGS_BENCH=1") }
        if let t = ProcessInfo.processInfo.environment["RGS_THREADS"].flatMap(Int.init) { Settings.threads = t }
        let n = 1024
        var random = RandomStream(seed: 1, stream: 0)
        let x = (0..<(4000 * n)).map { _ in random.below(2) == 0 ? Float(-1) : 1 }
        let betas = (0..<4000).map { _ in Float(0.1 + 0.5 * random.uniform()) }
        let lattices = try TrainingSet(inputs: x, inputWidth: n, targets: x, targetWidth: n)
        let labelled = try TrainingSet(inputs: x, inputWidth: n, targets: betas, targetWidth: 1)
        let cases: [(name: String, batch: Int, samples: Int, make: () throws -> Network, data: TrainingSet)] = [
            ("model1_b10", 10, 2000, { try Network.autoencoder(sizes: Network.defaultAutoencoderSizes(inputs: n), seed: 1) }, lattices),
            ("model1_b100", 100, 4000, { try Network.autoencoder(sizes: Network.defaultAutoencoderSizes(inputs: n), seed: 1) }, lattices),
            ("model1_b1000", 1000, 4000, { try Network.autoencoder(sizes: Network.defaultAutoencoderSizes(inputs: n), seed: 1) }, lattices),
            ("regressor_b100", 100, 4000, { try Network.regressor(inputs: n, seed: 1) }, labelled),
        ]
        // OpenBLAS's kernels, which set the figures of every sgemm (the summary ignores this line).
        BLAS.setUp()
        print("rgs-kernels OpenBLAS \(OpenBLASKernels.current)")
        let only = ProcessInfo.processInfo.environment["RGS_BENCH_ONLY"]
        for c in cases where only == nil || only == c.name {
            let rows = c.samples * c.data.inputWidth
            let data = try TrainingSet(inputs: Array(c.data.inputs[0..<rows]), inputWidth: c.data.inputWidth,
                                       targets: Array(c.data.targets[0..<(c.samples * c.data.targetWidth)]),
                                       targetWidth: c.data.targetWidth)
            var net = try c.make()
            try net.train(data, options: TrainingOptions(epochs: 1, batchSize: c.batch))  // warm-up
            var best = 0.0, bestCPU = 0.0
            for _ in 0..<3 {
                let start = DispatchTime.now().uptimeNanoseconds, cpu = threadCPUTime()
                try net.train(data, options: TrainingOptions(epochs: 1, batchSize: c.batch))
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
                best = max(best, Double(c.samples) / seconds)
                bestCPU = max(bestCPU, Double(c.samples) / (threadCPUTime() - cpu))
            }
            print("rgs \(c.name) \(Int(best))")
            // With one thread, the rate per CPU second of this thread is immune to other load.
            if Settings.threads == 1 { print("rgs-cpu \(c.name) \(Int(bestCPU))") }
        }
    }
}

/// CPU seconds used by the calling thread.
private func threadCPUTime() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
