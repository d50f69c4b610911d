import Foundation
import RGSNumerics
import RGSPhysics
import XCTest

/// Statistical checks shared by the sampler tests: per-beta slices of an ensemble, measured
/// means with binned or jackknife errors, and a 4-sigma comparison with an exact value.
enum MonteCarloCheck {
    /// Draws `plan` without progress bars.
    static func sample(_ plan: SamplingPlan) throws -> Ensemble {
        try MonteCarlo.sample(plan, progress: false)
    }

    /// The samples drawn at `beta`.
    static func slice(_ e: Ensemble, beta: Double) -> Ensemble {
        var slice = e.filtered { $0.beta == beta }
        slice.model = e.model  // `selecting` does not carry the model over
        return slice
    }

    /// Energy per spin with its binned error.
    static func energy(_ e: Ensemble) -> RGSNumerics.Measurement { Statistics.binned(e.energiesPerSpin()) }

    /// Specific heat per spin beta^2 N var(e) with a jackknife error.
    static func specificHeat(_ e: Ensemble, beta: Double) -> RGSNumerics.Measurement {
        let x = e.energiesPerSpin(), n = Double(e.siteCount)
        return Statistics.jackknife(count: x.count) { keep in
            let v = keep.map { x[$0] }
            let m = Statistics.mean(v)
            return beta * beta * n * v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count)
        }
    }

    /// Mean of f over the samples' magnetisations with a binned error.
    static func magnetization(_ e: Ensemble, _ f: (Double) -> Double = { $0 }) -> RGSNumerics.Measurement {
        Statistics.binned(e.magnetizations().map(f))
    }

    /// Asserts |measured - exact| <= 4 sigma (and that sigma is a real error bar).
    static func assertAgrees(_ measured: RGSNumerics.Measurement, _ exact: Double, _ what: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertGreaterThan(measured.error, 0, "\(what): zero error bar", file: file, line: line)
        XCTAssertLessThanOrEqual(abs(measured.value - exact), 4 * measured.error,
                                 "\(what): \(measured.value) ± \(measured.error) vs exact \(exact)", file: file, line: line)
    }
}
