import RGSNumerics
import RGSPhysics
import XCTest

/// Real-space RG flows on Monte Carlo lattices move away from the critical point: towards
/// disorder at beta = 0.30 < beta_c = 0.4407, towards order at beta = 0.60 > beta_c.
///
/// Observables per step on 400 lattices of 32x32 from the checkerboard Metropolis sampler; each claim
/// is a paired difference between consecutive steps, significant at 4 binned standard errors,
/// except a step that ends in the fully ordered state (value exactly 1), which can only not
/// decrease.
///
/// At beta = 0.30 the raw |m| of a finite lattice grows under blocking, although the lattice
/// gets more disordered: |m| ~ sqrt(chi / N), and N drops 4x per step while the per-spin
/// susceptibility chi only falls towards 1 (measured here: 0.068, 0.086, 0.124, 0.204, the last
/// near the uncorrelated 4x4 value sqrt(2 / (pi 16)) = 0.20). The size-free measure of order is
/// sqrt(N) |m|, which does fall step by step; that is what the test asserts.
final class RGFlowPhysicsTests: XCTestCase {
    private func flow(beta: Double, rule: RGRule) throws -> Flow {
        let plan = SamplingPlan(model: .ising(h: 0), shape: [32, 32], betas: [beta], samplesPerBeta: 400, seed: 2024,
                                algorithm: .checkerboard)
        let e = try MonteCarlo.sample(plan, progress: false)
        return try rgFlow(e, rule: rule, steps: 3)
    }

    private func assertStepwise(_ flow: Flow, _ observable: (Ensemble) -> [Double], increasing: Bool,
                                _ what: String, line: UInt = #line) {
        let values = flow.steps.map(observable)
        for k in 1..<values.count {
            let d = RGTestSupport.pairedDifference(values[k - 1], values[k])
            let signed = increasing ? d.value : -d.value
            print("\(flow.name) \(what) step \(k - 1)->\(k): \(Statistics.mean(values[k - 1])) -> \(Statistics.mean(values[k])) diff \(d)")
            if increasing && values[k].allSatisfy({ $0 == 1 }) {
                XCTAssertGreaterThanOrEqual(d.value, 0, "\(flow.name) \(what) step \(k): \(d)", line: line)
            } else {
                XCTAssertGreaterThan(signed, 4 * d.error, "\(flow.name) \(what) step \(k): \(d)", line: line)
            }
        }
    }

    func testMajorityFlowAtHighTemperatureDisorders() throws {
        let f = try flow(beta: 0.30, rule: .majority(block: 2))
        assertStepwise(f, RGTestSupport.neighbourCorrelation, increasing: false, "nn correlation")
        let scaled = { (e: Ensemble) in RGTestSupport.absMagnetisation(e).map { $0 * Double(e.siteCount).squareRoot() } }
        assertStepwise(f, scaled, increasing: false, "sqrt(N) |m|")
    }

    func testMajorityFlowAtLowTemperatureOrders() throws {
        let f = try flow(beta: 0.60, rule: .majority(block: 2))
        assertStepwise(f, RGTestSupport.neighbourCorrelation, increasing: true, "nn correlation")
        assertStepwise(f, RGTestSupport.absMagnetisation, increasing: true, "|m|")
    }
}
