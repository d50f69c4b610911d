import Foundation
import RGSNumerics
import RGSPhysics
import XCTest

/// `bench/rg`: three RG steps of a 30,000 x 64 x 64 ensemble per rule, in lattices per second.
/// Runs only with RGS_BENCH=1 (bench/rg/run); prints one `rule lattices/s` line per rule.
final class RGBenchmark: XCTestCase {
    func testBlockingThroughput() throws {
        guard ProcessInfo.processInfo.environment["RGS_BENCH"] == "1" else { throw XCTSkip("set RGS_BENCH=1") }
        let count = Int(ProcessInfo.processInfo.environment["RGS_BENCH_SAMPLES"] ?? "") ?? 30_000
        let ensemble = randomEnsemble(count: count, side: 64)
        let rules: [(String, RGRule)] = [("decimate", .decimate), ("majority", .majority(block: 2, ties: .firstSpin)),
                                         ("blockspin", .blockspin(block: 2, rounded: false, ties: .random))]
        for (name, rule) in rules {
            var best = Double.infinity
            for _ in 0..<3 {
                let start = DispatchTime.now().uptimeNanoseconds
                let flow = try rgFlow(ensemble, rule: rule, steps: 3)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                XCTAssertEqual(flow.steps.count, 4)
                best = min(best, seconds)
            }
            print("rgs \(name) \(Double(count) / best)")
        }
    }

    /// Infinite-temperature lattices straight into packed words (the blocking cost does not depend
    /// on the configuration).
    private func randomEnsemble(count: Int, side: Int) -> Ensemble {
        let words = (side * side + 63) / 64
        var rng = RandomStream(seed: 1)
        let packed = (0..<(count * words)).map { _ in rng.next() }
        let labels = [SampleLabel](repeating: SampleLabel(beta: 0, model: "ising"), count: count)
        return Ensemble(shape: [side, side], packed: packed, labels: labels)
    }
}
