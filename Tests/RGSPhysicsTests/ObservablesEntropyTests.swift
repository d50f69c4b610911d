import Foundation
import RGSNumerics
import RGSPhysics
import XCTest

/// Local Shannon entropy in k x k windows (bits).
final class ObservablesEntropyTests: XCTestCase {
    private typealias S = ObservablesTestSupport

    /// -p log2 p - (1 - p) log2 (1 - p).
    private func binary(_ p: Double) -> Double { p <= 0 || p >= 1 ? 0 : -p * log2(p) - (1 - p) * log2(1 - p) }

    func testOrderedAndCheckerboardLattices() throws {
        XCTAssertEqual(try S.pattern(L: 6, count: 4) { _, _ in 1 }.localEntropy(), Measurement(0, error: 0))
        // Every periodic 3x3 window of a checkerboard holds 5 spins of one sign and 4 of the other.
        let board = try S.pattern(L: 6, count: 4) { r, c in (r + c) % 2 == 0 ? 1 : -1 }.localEntropy()
        XCTAssertEqual(board.value, binary(5.0 / 9), accuracy: 1e-12)
        XCTAssertEqual(board.error, 0)
        // 5x5 windows: 13 against 12.
        let wide = try S.pattern(L: 6, count: 2) { r, c in (r + c) % 2 == 0 ? 1 : -1 }.localEntropy(window: 5)
        XCTAssertEqual(wide.value, binary(13.0 / 25), accuracy: 1e-12)
    }

    func testChainWindows() throws {
        let chain = Ensemble(shape: [6], spins: (0..<12).map { $0 % 2 == 0 ? 1 : -1 }, labels: S.labels(2))
        XCTAssertEqual(try chain.localEntropy().value, binary(1.0 / 3), accuracy: 1e-12)
    }

    /// Free spins: the window count of up spins is Binomial(9, 1/2), so <H> = sum_n C(9,n) 2^-9 h(n/9).
    func testRandomSpinsMatchTheBinomialAverage() throws {
        let d = S.randomSpins(shape: [16, 16], count: 200, seed: 4)
        var expected = 0.0, choose = 1.0
        for up in 0...9 {
            expected += choose / 512 * binary(Double(up) / 9)
            choose = choose * Double(9 - up) / Double(up + 1)
        }
        S.assertWithin(try d.localEntropy(), expected, "random spins")
    }

    /// Continuous values on 256 grey levels: nine distinct levels in the only 3x3 window give log2 9;
    /// on two levels they fall into two groups.
    func testContinuousValuesAreQuantised() throws {
        let values: [Float] = (0..<9).map { -1 + 2 * Float($0) / 8 }
        let d = Ensemble(shape: [3, 3], values: values, labels: S.labels(1))
        XCTAssertEqual(try d.localEntropy().value, log2(9), accuracy: 1e-12)
        // With 2 levels, -1, -0.75, -0.5, -0.25 map to 0 and 0 ... 1 to 1 (0 rounds up): 4 against 5.
        XCTAssertEqual(try d.localEntropy(levels: 2).value, binary(4.0 / 9), accuracy: 1e-12)
    }

    /// Spin ensembles count up spins per window; the same values stored as floats go through the
    /// general quantise-and-sort path and must agree, on 2D lattices and chains, for k = 1, 3, 5.
    func testSpinAndContinuousPathsAgree() throws {
        for shape in [[7, 9], [11]] {
            let spins = S.randomSpins(shape: shape, count: 20, seed: 8)
            let floats = Ensemble(shape: shape, values: spins.floatMatrix(), labels: spins.labels)
            for k in [1, 3, 5] {
                let a = try spins.localEntropyPerSample(window: k), b = try floats.localEntropyPerSample(window: k)
                for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-12, "\(shape) k \(k)") }
            }
        }
    }

    /// On the 2m x m lattice of one decimation step the window runs along the original
    /// diagonals: against windows counted on the original L x L samples at (r + a + b, c + a - b)
    /// around every kept site (r + c even), for spins and for the same values as floats.
    func testRotatedLatticeWindowsFollowTheOriginalDiagonals() throws {
        let L = 8
        let original = S.randomSpins(shape: [L, L], count: 6, seed: 12)
        let rotated = try decimate(original)
        XCTAssertEqual(rotated.shape, [L, L / 2])
        let floats = Ensemble(shape: rotated.shape, values: rotated.floatMatrix(), labels: rotated.labels)
        let x = original.floatMatrix()
        for k in [1, 3] {
            let h = k / 2, area = k * k
            let spins = try rotated.localEntropyPerSample(window: k), values = try floats.localEntropyPerSample(window: k)
            for s in 0..<original.count {
                var total = 0.0
                for r in 0..<L {
                    for c in stride(from: r % 2, to: L, by: 2) {
                        var up = 0
                        for a in -h...h {
                            for b in -h...h where x[s * L * L + ((r + a + b + L) % L) * L + (c + a - b + L) % L] > 0 { up += 1 }
                        }
                        total += binary(Double(up) / Double(area))
                    }
                }
                XCTAssertEqual(spins[s], total / Double(L * L / 2), accuracy: 1e-12, "k \(k) sample \(s)")
                XCTAssertEqual(values[s], spins[s], accuracy: 1e-12, "k \(k) sample \(s)")
            }
        }
        XCTAssertThrowsError(try rotated.localEntropy(window: 5))  // wider than the 4 columns
    }

    func testGroupsAndArgumentChecks() throws {
        let up = S.pattern(L: 4, count: 3, beta: 0.6) { _, _ in 1 }
        let board = S.pattern(L: 4, count: 3, beta: 0.1) { r, c in (r + c) % 2 == 0 ? 1 : -1 }
        let t = try up.concatenated(with: board).localEntropies()
        XCTAssertEqual(t.column("beta")?.values, [0.6, 0.1])
        XCTAssertEqual(t.column("value")?.values[0], 0)
        XCTAssertEqual(t.column("value")?.values[1] ?? 0, binary(5.0 / 9), accuracy: 1e-12)
        XCTAssertThrowsError(try up.localEntropy(window: 2))
        XCTAssertThrowsError(try up.localEntropy(window: 5))
        XCTAssertThrowsError(try up.localEntropy(levels: 1))
    }
}
