import RGSNumerics
import RGSPhysics
import XCTest

/// The coarse-graining weight matrices equal the transforms they encode.
final class RGMatrixTests: XCTestCase {
    private func randomSpins(_ shape: [Int], samples: Int) -> Ensemble {
        var rng = RandomStream(seed: 11, stream: 0)
        let n = shape.reduce(1, *)
        return Ensemble(shape: shape, spins: (0..<(n * samples)).map { _ in rng.next() >> 63 == 1 ? 1 : -1 },
                        labels: (0..<samples).map { _ in SampleLabel(beta: 0.4, model: "ising") })
    }

    /// y = x W for every sample, x the linearised row-major lattice.
    private func apply(_ w: Matrix, _ e: Ensemble) -> [[Double]] {
        (0..<e.count).map { s in
            let x = e.sample(s)
            return (0..<w.columns).map { j in (0..<w.rows).reduce(0.0) { $0 + Double(x[$1]) * w[$1, j] } }
        }
    }

    private func rows(_ e: Ensemble) -> [[Double]] { (0..<e.count).map { e.sample($0).map(Double.init) } }

    func testDecimationMatricesEqualDecimate() throws {
        let e = randomSpins([32, 32], samples: 3)
        let w1 = try CoarseGraining.matrix(from: 1024, to: 512, rule: .decimate)
        XCTAssertEqual(w1.rows, 1024)
        XCTAssertEqual(w1.columns, 512)
        let d1 = try decimate(e)
        XCTAssertEqual(apply(w1, e), rows(d1))
        let w2 = try CoarseGraining.matrix(from: 512, to: 256, rule: .decimate)
        XCTAssertEqual(apply(w2, d1), rows(try decimate(d1)))
        // Eq. 7 read as floor(i/32) + i even, j = floor(i/2); eq. 8 as floor(i/16) even.
        for i in 0..<1024 {
            let kept = (i / 32 + i) % 2 == 0
            XCTAssertEqual(w1[i, i / 2], kept ? 1 : 0)
            XCTAssertEqual(w1.row(i).reduce(0, +), kept ? 1 : 0)
        }
        for i in 0..<512 {
            let kept = (i / 16) % 2 == 0
            XCTAssertEqual(w2.row(i).reduce(0, +), kept ? 1 : 0)
            if kept { XCTAssertEqual(w2[i, (i / 32) * 16 + i % 16], 1) }
        }
        let chain = randomSpins([12], samples: 2)
        XCTAssertEqual(apply(try CoarseGraining.matrix(shape: [12], rule: .decimate), chain), rows(try decimate(chain)))
    }

    func testBlockspinMatrixEqualsBlockAverage() throws {
        let e = randomSpins([16, 16], samples: 3)
        let w = try CoarseGraining.matrix(from: 256, to: 64, rule: .blockspin(block: 2))
        let expected = rows(try blockspin(e, block: 2))
        let got = apply(w, e)
        for (a, b) in zip(got, expected) {
            for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-12) }
        }
    }

    /// Up-scaling then coarse-graining is the identity: U W = I.
    func testUpScalingInvertsCoarseGraining() throws {
        let pairs: [(Int, Int, RGRule)] = [(256, 512, .decimate), (512, 1024, .decimate), (64, 256, .blockspin(block: 2))]
        for (coarse, fine, rule) in pairs {
            let u = try CoarseGraining.upScalingMatrix(from: coarse, to: fine, rule: rule)
            let w = try CoarseGraining.matrix(from: fine, to: coarse, rule: rule)
            XCTAssertEqual(u.rows, coarse)
            XCTAssertEqual(u.columns, fine)
            for r in 0..<coarse {
                for c in 0..<coarse {
                    let v = (0..<fine).reduce(0.0) { $0 + u[r, $1] * w[$1, c] }
                    XCTAssertEqual(v, r == c ? 1 : 0, accuracy: 1e-12)
                }
            }
            // Every fine site is filled by exactly one coarse site.
            for i in 0..<fine { XCTAssertEqual((0..<coarse).reduce(0.0) { $0 + u[$1, i] }, 1) }
        }
    }

    func testMatrixErrors() {
        let cases: [(String, () throws -> Any)] = [
            ("the majority rule is not linear (it takes the sign of a block sum) and has no weight matrix",
             { try CoarseGraining.matrix(from: 1024, to: 256, rule: .majority(block: 2)) }),
            ("decimate maps 1024 sites (32x32) to 512, not 256",
             { try CoarseGraining.matrix(from: 1024, to: 256, rule: .decimate) }),
            ("1000 sites is not an L x L lattice nor the L x L/2 lattice of a decimation",
             { try CoarseGraining.matrix(from: 1000, to: 500, rule: .decimate) }),
            ("rounded blockspin is not linear (it takes a sign) and has no weight matrix",
             { try CoarseGraining.matrix(from: 1024, to: 256, rule: .blockspin(block: 2, rounded: true)) }),
            ("the number of sites must be positive (got 0)",
             { try CoarseGraining.matrix(from: 0, to: 0, rule: .decimate) }),
        ]
        for (message, call) in cases {
            XCTAssertThrowsError(try call()) { XCTAssertEqual(($0 as? CoreError)?.message, message) }
        }
    }
}
