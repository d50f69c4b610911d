import Foundation
import RGSNumerics
import RGSPhysics
import XCTest

private typealias Measurement = RGSNumerics.Measurement

/// Binder-cumulant and Delta_eps = 1 crossings on synthetic curves.
final class ObservablesCriticalTemperatureTests: XCTestCase {
    private typealias Curve = (size: Int, temperatures: [Double], values: [Measurement])

    /// Straight lines U_L(T) = 0.6 - s_L (T - Tc) on different grids, all crossing at Tc.
    private func lines(tc: Double, error: Double) -> [Curve] {
        [(8, 0.6), (16, 1.2), (32, 2.4)].map { size, slope in
            let ts = stride(from: 1.9 + 0.01 * Double(size % 3), through: 2.6, by: 0.05).map { $0 }
            return (size, ts, ts.map { Measurement(0.6 - slope * ($0 - tc), error: error) })
        }
    }

    func testCrossingOfStraightLines() throws {
        let result = try CriticalTemperature.binderCrossing(lines(tc: 2.269, error: 0.002))
        XCTAssertEqual(result.estimate.value, 2.269, accuracy: 1e-12)
        XCTAssert(result.estimate.error > 0 && result.estimate.error < 0.01, "\(result.estimate)")
        XCTAssertEqual(result.pairs.column("L1")?.values, [8, 16])
        XCTAssertEqual(result.pairs.column("L2")?.values, [16, 32])
        for (t, u) in zip(result.pairs.column("Tc")?.values ?? [], result.pairs.column("U")?.values ?? []) {
            XCTAssertEqual(t, 2.269, accuracy: 1e-12)
            XCTAssertEqual(u, 0.6, accuracy: 1e-12)
        }
        // Unsorted input gives the same answer.
        XCTAssertEqual(try CriticalTemperature.binderCrossing(lines(tc: 2.269, error: 0.002).reversed()), result)
    }

    /// Curved cumulants U_L = 0.61 - 0.2 x + 0.02 x^2, x = L (T - Tc), on a 0.1 grid (their other
    /// crossing, at T = 2.686, lies outside it): the interpolation is exact for parabolas, where
    /// straight lines between the points put the 8/16 crossing 0.005 too high.
    func testCrossingOfCurvedCumulantsHasNoGridBias() throws {
        let ts = stride(from: 2.0, through: 2.6, by: 0.1).map { $0 }
        let curves: [Curve] = [8, 16].map { size in
            (size, ts, ts.map { t in
                let x = Double(size) * (t - 2.269)
                return Measurement(0.61 - 0.2 * x + 0.02 * x * x, error: 1e-4)
            })
        }
        let result = try CriticalTemperature.binderCrossing(curves)
        XCTAssertEqual(result.pairs.column("Tc")?.values.first ?? 0, 2.269, accuracy: 1e-9)
        XCTAssertEqual(result.pairs.column("U")?.values.first ?? 0, 0.61, accuracy: 1e-9)
    }

    /// With a grid point at the crossing the bootstrap error is sqrt(s1^2 + s2^2) / |slope1 - slope2|.
    func testBootstrapErrorMatchesPropagation() throws {
        let ts = stride(from: 2.0, through: 2.5, by: 0.1).map { $0 }
        let small: [Measurement] = ts.map { t in Measurement(0.6 - (t - 2.3), error: 0.003) }
        let large: [Measurement] = ts.map { t in Measurement(0.6 - 2 * (t - 2.3), error: 0.004) }
        let curves: [Curve] = [(8, ts, small), (16, ts, large)]
        let result = try CriticalTemperature.binderCrossing(curves, replicas: 4000, seed: 3)
        XCTAssertEqual(result.estimate.value, 2.3, accuracy: 1e-12)
        XCTAssertEqual(result.estimate.error / 0.005, 1, accuracy: 0.1)
    }

    /// Curves that also meet in noise at high T (both near 0, wobbling by +-0.0004 against each
    /// other above T = 3.4): the clean crossing in the middle is chosen.
    func testMostSignificantCrossingWins() throws {
        let ts = stride(from: 1.0, through: 4.0, by: 0.1).map { $0 }
        func binder(_ t: Double, _ l: Double) -> Double { (2.0 / 3) / (1 + exp(l * (t - 2.3))) }
        let wobble = [0.0004, -0.0004]
        func curve(_ size: Int, _ k: Int) -> Curve {
            let values: [Measurement] = ts.enumerated().map { i, t in
                let noise = t > 3.4 ? wobble[(i + k) % 2] : 0
                return Measurement(binder(t, Double(size)) + noise, error: 0.005)
            }
            return (size, ts, values)
        }
        let curves = [curve(8, 0), curve(16, 1)]
        let result = try CriticalTemperature.binderCrossing(curves)
        XCTAssertEqual(result.estimate.value, 2.3, accuracy: 0.05)
    }

    func testDeltaEpsilonCrossing() throws {
        let ts = stride(from: 3.0, through: 7.0, by: 0.5).map { $0 }
        let deltas = ts.map { Measurement(0.5 + 0.1 * $0, error: 0.002) }
        let tc = try CriticalTemperature.deltaCrossing(temperatures: ts, deltas: deltas, replicas: 4000)
        XCTAssertEqual(tc.value, 5, accuracy: 1e-12)
        XCTAssertEqual(tc.error / 0.02, 1, accuracy: 0.1)  // first order: error / slope
        XCTAssertEqual(try CriticalTemperature.deltaCrossing(temperatures: ts, deltas: deltas, target: 0.9).value, 4, accuracy: 1e-12)
    }

    func testArgumentChecks() {
        let ts = [1.0, 2.0, 3.0]
        let flat = ts.map { _ in Measurement(0.5, error: 0.01) }
        XCTAssertThrowsError(try CriticalTemperature.deltaCrossing(temperatures: ts, deltas: flat))
        XCTAssertThrowsError(try CriticalTemperature.deltaCrossing(temperatures: [1, 2], deltas: flat))
        XCTAssertThrowsError(try CriticalTemperature.deltaCrossing(temperatures: [1, 1, 2], deltas: flat))
        XCTAssertThrowsError(try CriticalTemperature.deltaCrossing(temperatures: [1, .nan, 2], deltas: flat))
        XCTAssertThrowsError(try CriticalTemperature.binderCrossing([(8, ts, flat)]))
        XCTAssertThrowsError(try CriticalTemperature.binderCrossing([(8, ts, flat), (8, ts, flat)]))
        XCTAssertThrowsError(try CriticalTemperature.binderCrossing([(8, ts, flat), (16, ts, flat.map { Measurement(0.6, error: $0.error) })]))
    }
}
