import Foundation
import RGSNumerics
import XCTest

/// The vector exp, tanh and logistic against double-precision libm.
final class VectorMathTests: XCTestCase {
    /// Error in float ulps of `value` against the exact `reference`.
    private func ulps(_ value: Float, _ reference: Double) -> Double {
        abs(Double(value) - reference) / Double(Float(reference).ulp)
    }

    private func worst(over xs: [Float], _ f: (VectorMath.Lanes) -> VectorMath.Lanes, _ reference: (Double) -> Double) -> Double {
        var z = xs
        z.withUnsafeMutableBufferPointer { VectorMath.apply($0.baseAddress!, count: $0.count, f) }
        return zip(z, xs).map { ulps($0, reference(Double($1))) }.max() ?? 0
    }

    func testAccuracy() {
        // A dense grid over the interesting range, both signs, plus the branch point and a tail
        // that is not a multiple of 16.
        let grid = (0..<400_003).map { Float(-20 + 40 * Double($0) / 400_002) } + [0.625, -0.625, 0.624_999_9, 1e-30, -1e-30, 0]
        XCTAssertLessThanOrEqual(worst(over: grid, VectorMath.tanh, Foundation.tanh), 3)
        XCTAssertLessThanOrEqual(worst(over: grid, VectorMath.rationalTanh, Foundation.tanh), 7)
        var z = grid
        z.withUnsafeMutableBufferPointer { VectorMath.apply($0.baseAddress!, count: $0.count, VectorMath.rationalTanh) }
        XCTAssertLessThanOrEqual(zip(z, grid).map { abs(Double($0) - Foundation.tanh(Double($1))) }.max() ?? 1, 3.6e-7)
        XCTAssertLessThanOrEqual(worst(over: grid, VectorMath.logistic) { 1 / (1 + Foundation.exp(-$0)) }, 4)
        let exps = (0..<200_001).map { Float(-80 + 160 * Double($0) / 200_000) }
        XCTAssertLessThanOrEqual(worst(over: exps, VectorMath.exp, Foundation.exp), 2)
    }

    func testLimits() {
        var z: [Float] = [100, -100, 0, -0.0, 9, -9]
        z.withUnsafeMutableBufferPointer { VectorMath.apply($0.baseAddress!, count: $0.count, VectorMath.tanh) }
        XCTAssertEqual(z, [1, -1, 0, 0, 1, -1])
        var r: [Float] = [100, -100, 0, -0.0, 9.02, -9.5, .greatestFiniteMagnitude, -.infinity, .nan]
        r.withUnsafeMutableBufferPointer { VectorMath.apply($0.baseAddress!, count: $0.count, VectorMath.rationalTanh) }
        XCTAssertEqual(Array(r[..<8]), [1, -1, 0, 0, 1, -1, 1, -1])
        XCTAssertEqual(r[3].sign, .minus)
        XCTAssertTrue(r[8].isNaN)
        var l: [Float] = [200, -200, 0]
        l.withUnsafeMutableBufferPointer { VectorMath.apply($0.baseAddress!, count: $0.count, VectorMath.logistic) }
        XCTAssertEqual(l[0], 1)
        XCTAssertEqual(l[1], 0, accuracy: 1e-37)
        XCTAssertEqual(l[2], 0.5)
    }
}
