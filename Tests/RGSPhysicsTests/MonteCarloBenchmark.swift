import Foundation
import RGSNumerics
import RGSPhysics
import XCTest

/// The Monte Carlo benchmark (bench/montecarlo/run): skipped unless RGS_BENCH=1. Prints each
/// figure beside the numpy checkerboard reference read from RGS_BENCH_REFERENCE (key value lines).
final class MonteCarloBenchmark: XCTestCase {
    private static let betaC = 0.4407

    func testBenchmark() throws {
        guard ProcessInfo.processInfo.environment["RGS_BENCH"] == "1" else { throw XCTSkip("set RGS_BENCH=1") }
        let reference = Self.readReference()
        let saved = Settings.threads
        defer { Settings.threads = saved }
        Settings.threads = 2
        var rows: [(String, Double, Double?)] = []

        // The ensemble first, so its memory is measured against the fresh process baseline.
        let (lattices, megabytes) = try Self.ensembleFigures()
        rows.append(("30,000 x 32x32 ensemble (auto = multispin, beta_c), lattices/s", lattices,
                     reference["numpy_ensemble_lattices_per_s"]))
        rows.append(("  peak memory above baseline, MB (numpy: its int8 state)", megabytes, reference["numpy_ensemble_state_mb"]))


        for L in [32, 256] {
            // About 0.4 s of work per figure: 150 M attempts per chain (multispin: 1.5 G).
            for algorithm in [SamplerAlgorithm.metropolis, .checkerboard, .heatbath, .multispin, .wolff] {
                let sweeps = max(3, (algorithm == .multispin ? 1_500_000_000 / 512 : 150_000_000) / (L * L))
                for threads in [1, 2] {
                    let rate = MonteCarlo.attemptsPerNanosecond(algorithm, side: L, beta: Self.betaC, sweeps: sweeps / threads,
                                                                chains: threads)
                    let unit = algorithm == .wolff ? "spins flipped/ns" : "attempts/ns"
                    rows.append(("\(algorithm.rawValue) L=\(L) \(unit), \(threads) thread(s)", rate.wall, reference["numpy_L\(L)"]))
                    if threads == 1 {
                        rows.append(("  per core (CPU time)", rate.perCore, reference["numpy_L\(L)_cpu"]))
                    }
                }
            }
        }
        for threads in [1, 2] {
            let clusters = MonteCarlo.wolffClustersPerSecond(side: 64, beta: Self.betaC, clusters: 100_000, chains: threads)
            rows.append(("wolff L=64 clusters/s, \(threads) thread(s)", clusters.wall, nil))
            if threads == 1 { rows.append(("  per core (CPU time)", clusters.perCore, nil)) }
        }

        print("\nMonte Carlo benchmark (beta = \(Self.betaC); numpy = checkerboard reference, same run; "
              + "wall-clock rates unless marked per core)")
        for (label, value, ref) in rows {
            var line = label.padding(toLength: 62, withPad: " ", startingAt: 0) + Self.format(value)
            if let ref { line += "   numpy " + Self.format(ref) + "   ratio " + String(format: "%.1fx", value / ref) }
            print(line)
        }
    }

    /// Lattices per second and peak resident memory above the baseline for the 30,000-lattice ensemble.
    private static func ensembleFigures() throws -> (Double, Double) {
        let plan = SamplingPlan(model: .ising(h: 0), shape: [32, 32], betas: [betaC], samplesPerBeta: 30_000, seed: 7)
        // Reset the peak-RSS counter so VmHWM measures this run only.
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
        let baseline = memoryKB("VmRSS")
        let start = Date()
        let ensemble = try MonteCarlo.sample(plan, progress: false)
        let seconds = Date().timeIntervalSince(start)
        let peak = memoryKB("VmHWM")
        print(ensemble.notes.joined(separator: "\n"))
        return (Double(ensemble.count) / seconds, Double(peak - baseline) / 1024)
    }

    private static func memoryKB(_ key: String) -> Int {
        let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        }
        return 0
    }

    private static func readReference() -> [String: Double] {
        guard let path = ProcessInfo.processInfo.environment["RGS_BENCH_REFERENCE"],
              let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var values = [String: Double]()
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let v = Double(parts[1]) { values[String(parts[0])] = v }
        }
        return values
    }

    private static func format(_ x: Double) -> String {
        x >= 1000 ? String(format: "%10.0f", x) : String(format: "%10.3f", x)
    }

}
