import Foundation
import RGSNumerics
import RGSPhysics
import XCTest

/// Reproduces the long-range paper's T_c from Delta_eps(T) = 1 on lattices from the Monte Carlo
/// sampler (L = 10, alpha = 3). About 1 s in release; prints the numbers
/// quoted in docs/observables.md.
final class ObservablesPaperCheckTests: XCTestCase {
    private func longRange(L: Int, T: Double, samples: Int, seed: UInt64) throws -> Ensemble {
        try MonteCarlo.sample(SamplingPlan(model: .longRange(alpha: 3), shape: [L, L], betas: [1 / T],
                                           samplesPerBeta: samples, seed: seed), progress: false)
    }

    func testDeltaEpsilonCrossingOfTheLongRangeModel() throws {
        var ts = [Double](), deltas = [RGSNumerics.Measurement]()
        for t in stride(from: 6.5, through: 9.0, by: 0.25) {
            let d = try longRange(L: 10, T: t, samples: 1000, seed: 2)
            let e = try d.scalingDimension(.energy), s = try d.scalingDimension(.spin)
            print("T \(t): Delta_eps \(e.delta), Delta_s \(s.delta), U \(try d.measure(.binder))")
            ts.append(t)
            deltas.append(e.delta)
        }
        let tc = try CriticalTemperature.deltaCrossing(temperatures: ts, deltas: deltas)
        print("T_c from Delta_eps = 1: \(tc) (paper: 7.7)")
        XCTAssertEqual(tc.value, 7.7, accuracy: 4 * tc.error + 0.1)
    }
}
