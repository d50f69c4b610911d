import Foundation
import RGSNumerics
import RGSPhysics
import XCTest

/// The analytic decimation recursions against closed forms.
final class RGRecursionTests: XCTestCase {
    func testDecimation2DFixedPoint() throws {
        let b = try RGRecursion.criticalFixedPoint(scheme: .decimation2D)
        XCTAssertEqual(0.375 * log(cosh(4 * b)), b, accuracy: 1e-12)
        XCTAssertEqual(b, 0.5070, accuracy: 5e-5)
        let points = RGRecursion.fixedPoints(scheme: .decimation2D)
        XCTAssertEqual(points.map(\.beta), [0, b, .infinity])
        XCTAssertEqual(points.map(\.isAttracting), [true, false, true])
        // Slope 3/2 tanh 4b* > 1: the critical point repels; nu = ln sqrt2 / ln slope.
        XCTAssertEqual(points[1].slope!, 1.5 * tanh(4 * b), accuracy: 1e-14)
        XCTAssertEqual(RGRecursion.correlationLengthExponent2D(), log(2.0.squareRoot()) / log(1.5 * tanh(4 * b)), accuracy: 1e-12)
        // Flow away from b*: below it to 0, above it to infinity.
        let below = try RGRecursion.iterate(beta: b - 0.01, scheme: .decimation2D, steps: 40)
        let above = try RGRecursion.iterate(beta: b + 0.01, scheme: .decimation2D, steps: 40)
        XCTAssertLessThan(below.last!, 1e-6)
        XCTAssertGreaterThan(above.last!, 100)
        XCTAssertEqual(try RGRecursion.iterate(beta: 0.3, scheme: .decimation2D, steps: 1)[1],
                       0.375 * log(cosh(1.2)), accuracy: 1e-15)
    }

    func testDecimation1DIteratesMatchClosedForm() throws {
        for beta in [0.1, 0.5, 1.0, 2.5] {
            let it = try RGRecursion.iterate(beta: beta, scheme: .decimation1D, steps: 6)
            XCTAssertEqual(it.count, 7)
            for (k, b) in it.enumerated() {
                // tanh beta_k = (tanh beta)^(2^k)
                XCTAssertEqual(tanh(b), pow(tanh(beta), pow(2, Double(k))), accuracy: 1e-13)
            }
        }
        // Small couplings keep full relative precision: beta_k = atanh(tanh(beta)^(2^k)) (the
        // cancelling form lost 2e-5 at step 2 and gave 0 at step 3).
        let small = try RGRecursion.iterate(beta: 0.001, scheme: .decimation1D, steps: 4)
        for (k, b) in small.enumerated() {
            let expected = atanh(pow(tanh(0.001), pow(2, Double(k))))
            XCTAssertEqual(b / expected, 1, accuracy: 1e-14, "step \(k): \(b) vs \(expected)")
        }
        XCTAssertEqual(try RGRecursion.iterate(beta: .infinity, scheme: .decimation1D, steps: 2), [.infinity, .infinity, .infinity])
        XCTAssertThrowsError(try RGRecursion.criticalFixedPoint(scheme: .decimation1D)) { error in
            XCTAssertTrue((error as? CoreError)?.message.contains("no non-trivial fixed point") == true)
        }
        XCTAssertEqual(RGRecursion.fixedPoints(scheme: .decimation1D).map(\.beta), [0, .infinity])
        XCTAssertEqual(RGRecursion.fixedPoints(scheme: .decimation1D).map(\.isAttracting), [true, false])
    }

    /// K', H' reproduce the sum over the removed spin for all four neighbour states.
    func testDecimation1DWithFieldAgainstBruteForce() throws {
        for (k, h) in [(0.7, 0.0), (0.7, 0.3), (1.2, -0.5), (0.2, 1.5)] {
            let (k2, h2) = RGRecursion.decimation1D(coupling: k, field: h)
            // Bond weight after decimation, with each kept spin's own field split half/half
            // between its two bonds: sum_{s2} exp(K s2 (s1+s3) + H s2 + H (s1+s3)/2).
            func exact(_ s1: Double, _ s3: Double) -> Double {
                [1.0, -1.0].reduce(0) { $0 + exp(k * $1 * (s1 + s3) + h * $1 + h * (s1 + s3) / 2) }
            }
            func renormalised(_ s1: Double, _ s3: Double) -> Double { exp(k2 * s1 * s3 + h2 * (s1 + s3) / 2) }
            let ratio = exact(1, 1) / renormalised(1, 1)
            for (s1, s3) in [(1.0, -1.0), (-1.0, 1.0), (-1.0, -1.0)] {
                XCTAssertEqual(exact(s1, s3) / renormalised(s1, s3), ratio, accuracy: 1e-12 * ratio)
            }
            if h == 0 { XCTAssertEqual(tanh(k2), tanh(k) * tanh(k), accuracy: 1e-14) }
        }
        // Against the closed forms 4K' = ln(1 + sinh^2 2K / cosh^2 H), tanh dH = tanh 2K tanh H,
        // also where K << H (the difference of ln cosh terms went negative there: 5 steps from
        // K = 0.05, H = 3 gave K = -8.7e-19 and then H = -1.9e17).
        for k in [1e-9, 1e-3, 0.05, 0.7, 3.0] {
            for h in [-20.0, -3, -1.5, 0, 0.3, 3, 20] {
                let (k2, h2) = RGRecursion.decimation1D(coupling: k, field: h)
                let ratio = sinh(2 * k) / cosh(h)
                XCTAssertEqual(k2, 0.25 * log1p(ratio * ratio), accuracy: 1e-14 * k2, "K \(k) H \(h)")
                XCTAssertEqual(h2 - h, atanh(tanh(2 * k) * tanh(h)), accuracy: 1e-10 * abs(h2 - h) + 1e-15 * abs(h), "K \(k) H \(h)")
            }
        }
        var last = (coupling: 0.05, field: 3.0)
        for step in try RGRecursion.iterate1D(coupling: 0.05, field: 3, steps: 6).dropFirst() {
            let ratio = sinh(2 * last.coupling) / cosh(last.field)
            XCTAssertEqual(step.coupling, 0.25 * log1p(ratio * ratio), accuracy: 1e-14 * step.coupling)
            XCTAssertGreaterThan(step.coupling, 0)
            XCTAssertTrue(step.field > 3 && step.field < 3.2)
            last = step
        }
        let strong = RGRecursion.decimation1D(coupling: 400, field: 400)
        XCTAssertEqual(strong.coupling, 200, accuracy: 1e-9)  // 1/4 ln(cosh 1200 / cosh 400), no overflow
        XCTAssertEqual(strong.field, 800, accuracy: 1e-9)
        let tiny = RGRecursion.decimation1D(coupling: 400, field: 1000)  // sinh 800 and cosh 1000 overflow
        XCTAssertEqual(tiny.coupling / (0.25 * exp(-400)), 1, accuracy: 1e-12)
        let flow = try RGRecursion.iterate1D(coupling: 1, field: 0.1, steps: 10)
        XCTAssertEqual(flow.count, 11)
        XCTAssertLessThan(flow.last!.coupling, 1e-3)
    }

    func testRecursionErrors() {
        let cases: [(String, () throws -> Any)] = [
            ("beta must be >= 0 (got -0.1)", { try RGRecursion.iterate(beta: -0.1, scheme: .decimation2D, steps: 3) }),
            ("steps must be between 0 and 100000 (got -1)", { try RGRecursion.iterate(beta: 0.1, scheme: .decimation2D, steps: -1) }),
            ("beta must be >= 0 (got nan)", { try RGRecursion.iterate(beta: .nan, scheme: .decimation1D, steps: 1) }),
            ("field must be a finite number (got inf)", { try RGRecursion.iterate1D(coupling: 1, field: .infinity, steps: 1) }),
        ]
        for (message, call) in cases {
            XCTAssertThrowsError(try call()) { XCTAssertEqual(($0 as? CoreError)?.message, message) }
        }
    }
}
