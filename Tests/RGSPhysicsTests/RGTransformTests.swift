import RGSNumerics
import RGSPhysics
import XCTest

/// Decimation, majority and block-spin transforms on hand-made and random lattices.
final class RGTransformTests: XCTestCase {
    private func label(_ seed: UInt64 = 1) -> SampleLabel { SampleLabel(beta: 0.4, model: "ising", seed: seed) }

    /// A continuous ensemble whose value at each site is the site index: the output lists the
    /// input sites each transform reads.
    private func indexLattice(_ shape: [Int]) -> Ensemble {
        let n = shape.reduce(1, *)
        return Ensemble(shape: shape, values: (0..<n).map(Float.init), labels: [label()])
    }

    private func randomSpins(_ shape: [Int], samples: Int, seed: UInt64) -> Ensemble {
        var rng = RandomStream(seed: seed, stream: 9)
        let n = shape.reduce(1, *)
        let spins = (0..<(n * samples)).map { _ in Int8(rng.next() >> 63 == 1 ? 1 : -1) }
        return Ensemble(shape: shape, spins: spins, labels: (0..<samples).map { label(UInt64($0)) })
    }

    func testDecimationIndexMapOn4x4() throws {
        let first = try decimate(indexLattice([4, 4]))
        XCTAssertEqual(first.shape, [4, 2])
        // Rows keep columns with row + column even: (0,0),(0,2),(1,1),(1,3),...
        XCTAssertEqual(first.sample(0), [0, 2, 5, 7, 8, 10, 13, 15])
        let second = try decimate(first)
        XCTAssertEqual(second.shape, [2, 2])
        // Even rows of the 4x2 lattice: original sites with both coordinates even.
        XCTAssertEqual(second.sample(0), [0, 2, 8, 10])
        XCTAssertEqual(second.labels[0].model, "decimate(decimate(ising))")
    }

    func testDecimationOfHandMadeSpins() throws {
        let spins: [Int8] = [
            1, -1, -1, 1,
            -1, 1, 1, -1,
            1, 1, -1, -1,
            -1, -1, 1, 1,
        ]
        let e = Ensemble(shape: [4, 4], spins: spins, labels: [label()])
        let d = try decimate(e)
        XCTAssertTrue(d.isSpin)
        XCTAssertEqual(d.spins(0), [1, -1, 1, -1, 1, -1, -1, 1])
        XCTAssertEqual(try decimate(d).spins(0), [1, -1, 1, -1])
    }

    /// The 2m x m lattice of one decimation step is the rotated lattice: its energy sums the
    /// original lattice's diagonal pairs between kept sites, and block rules and the local entropy
    /// refuse it (its correlation function: ObservablesCorrelationTests).
    func testOnceDecimatedLatticeIsTheRotatedLattice() throws {
        for side in [4, 6, 16] {
            let e = randomSpins([side, side], samples: 4, seed: UInt64(side))
            let d = try decimate(e)
            XCTAssertTrue(RotatedLattice.contains(d.shape))
            for s in 0..<4 {
                // Each kept site (r, c), r + c even, with its down-right and down-left diagonals.
                var bonds = 0.0
                for r in 0..<side {
                    for c in stride(from: r % 2, to: side, by: 2) {
                        let down = (r + 1) % side
                        bonds += Double(e.value(s, r * side + c) * (e.value(s, down * side + (c + 1) % side)
                                                                    + e.value(s, down * side + (c + side - 1) % side)))
                    }
                }
                XCTAssertEqual(d.energiesPerSpin()[s], -bonds / Double(side * side / 2), accuracy: 1e-12)
            }
            XCTAssertThrowsError(try majority(d, block: 2))
            XCTAssertNoThrow(try d.localEntropy(window: 1))  // windows along its own axes (ObservablesEntropyTests)
            XCTAssertNoThrow(try decimate(d).correlation())
        }
    }

    func testChainDecimationKeepsEvenSites() throws {
        XCTAssertEqual(try decimate(indexLattice([10])).sample(0), [0, 2, 4, 6, 8])
        let e = randomSpins([130], samples: 3, seed: 5)
        let d = try decimate(e)
        for s in 0..<3 { XCTAssertEqual(d.sample(s), stride(from: 0, to: 130, by: 2).map { e.value(s, $0) }) }
    }

    /// The packed fast path agrees with the index map on lattices whose rows straddle words.
    func testPackedDecimationMatchesIndexMap() throws {
        for side in [2, 4, 6, 10, 16, 32, 64, 66, 128] {
            let e = randomSpins([side, side], samples: 5, seed: UInt64(side))
            var packed = e
            var values = Ensemble(shape: e.shape, values: e.floatMatrix(), labels: e.labels)
            for _ in 0..<3 where packed.siteCount > 1 && (try? decimate(packed)) != nil {
                packed = try decimate(packed)
                values = try decimate(values)
                XCTAssertEqual(packed.shape, values.shape)
                XCTAssertEqual(packed.floatMatrix(), values.floatMatrix(), "side \(side) shape \(packed.shape)")
            }
        }
    }

    func testShapesAlongThreeSteps() throws {
        let shapes = { (rule: RGRule, side: Int) in
            try rgFlow(self.randomSpins([side, side], samples: 2, seed: 3), rule: rule, steps: 3).steps.map(\.shape)
        }
        XCTAssertEqual(try shapes(.decimate, 64), [[64, 64], [64, 32], [32, 32], [32, 16]])
        XCTAssertEqual(try shapes(.decimate, 32), [[32, 32], [32, 16], [16, 16], [16, 8]])
        XCTAssertEqual(try shapes(.majority(block: 2), 64), [[64, 64], [32, 32], [16, 16], [8, 8]])
        XCTAssertEqual(try shapes(.majority(block: 2), 32), [[32, 32], [16, 16], [8, 8], [4, 4]])
        XCTAssertEqual(try shapes(.blockspin(block: 2), 64), [[64, 64], [32, 32], [16, 16], [8, 8]])
        XCTAssertEqual(try shapes(.blockspin(block: 2, rounded: true), 32), [[32, 32], [16, 16], [8, 8], [4, 4]])
        let flow = try rgFlow(randomSpins([32, 32], samples: 2, seed: 3), rule: .decimate, steps: 2)
        XCTAssertEqual(flow.steps.map(\.siteCount), [1024, 512, 256])
        XCTAssertEqual(flow.name, "decimate")
    }

    func testMajorityAndBlockspinOnHandMadeBlocks() throws {
        // Blocks: top-left 3 up; top-right 1 up; bottom-left tie with first spin up;
        // bottom-right tie with first spin down.
        let spins: [Int8] = [
            1, 1, -1, -1,
            1, -1, 1, -1,
            1, -1, -1, 1,
            -1, 1, 1, -1,
        ]
        let e = Ensemble(shape: [4, 4], spins: spins, labels: [label()])
        let m = try majority(e, block: 2)
        XCTAssertEqual(m.shape, [2, 2])
        XCTAssertEqual(m.spins(0), [1, -1, 1, -1])
        XCTAssertEqual(m.labels[0].model, "majority(ising)")
        let continuous = Ensemble(shape: [4, 4], values: spins.map(Float.init), labels: [label()])
        XCTAssertEqual(try majority(continuous, block: 2).spins(0), [1, -1, 1, -1])
        let b = try blockspin(e, block: 2)
        XCTAssertFalse(b.isSpin)
        XCTAssertEqual(b.sample(0), [0.5, -0.5, 0, 0])
        XCTAssertEqual(try blockspin(continuous, block: 2).sample(0), [0.5, -0.5, 0, 0])
        XCTAssertEqual(try blockspin(e, block: 2, rounded: true, ties: .firstSpin).spins(0), [1, -1, 1, -1])
        XCTAssertEqual(try blockspin(e, block: 4).sample(0), [0])
    }

    func testMajorityOfOddBlocksAndChains() throws {
        var spins = [Int8](repeating: -1, count: 36)
        for i in [0, 1, 6, 13, 14] { spins[i] = 1 }       // block (0,0) has 5 of 9 up
        for i in [3, 4, 9, 10] { spins[i] = 1 }           // block (0,1) has 4 of 9 up
        let m = try majority(Ensemble(shape: [6, 6], spins: spins, labels: [label()]), block: 3)
        XCTAssertEqual(m.spins(0), [1, -1, -1, -1])
        // The autoencoder paper's Fig. 1: a chain with 3-spin majority blocks.
        let chain = Ensemble(shape: [6], spins: [1, 1, -1, -1, -1, 1], labels: [label()])
        XCTAssertEqual(try majority(chain, block: 3).spins(0), [1, -1])
        XCTAssertEqual(try blockspin(chain, block: 3).sample(0), [Float(1) / 3, -Float(1) / 3])
    }

    func testMajorityOfUniformLatticesIsUniform() throws {
        for side in [4, 32, 64, 96] {
            for up in [true, false] {
                let e = Ensemble(shape: [side, side], spins: [Int8](repeating: up ? 1 : -1, count: side * side),
                                 labels: [label()])
                for b in [2, 4] {
                    let m = try majority(e, block: b, ties: .random)
                    XCTAssertTrue(m.spins(0).allSatisfy { $0 == (up ? 1 : -1) }, "side \(side) b \(b)")
                }
            }
        }
    }

    /// The bit-sliced 2x2 path agrees with the generic sum-of-values path (first-spin ties).
    func testPackedMajorityMatchesContinuousPath() throws {
        for side in [2, 6, 32, 64, 70] {
            let e = randomSpins([side, side], samples: 4, seed: UInt64(100 + side))
            let values = Ensemble(shape: e.shape, values: e.floatMatrix(), labels: e.labels)
            XCTAssertEqual(try majority(e, block: 2).floatMatrix(), try majority(values, block: 2).floatMatrix())
            XCTAssertEqual(try blockspin(e, block: 2).floatMatrix(), try blockspin(values, block: 2).floatMatrix())
            if side % 3 == 0 {
                XCTAssertEqual(try majority(e, block: 3).floatMatrix(), try majority(values, block: 3).floatMatrix())
            }
        }
    }

    /// The vectorised 2x2 block spin against averages summed here, on spins (packed) and on
    /// values, for widths around the 16-block vectors and 64-bit words.
    func testTwoByTwoBlockspinMatchesDirectAverages() throws {
        for (rows, columns) in [(2, 2), (4, 6), (6, 18), (2, 34), (4, 64), (6, 70), (2, 130)] {
            let e = randomSpins([rows, columns], samples: 3, seed: UInt64(rows * 1000 + columns))
            var rng = RandomStream(seed: 5, stream: UInt64(columns))
            let values = Ensemble(shape: e.shape, values: (0..<(3 * rows * columns)).map { _ in Float(rng.uniform() * 2 - 1) },
                                  labels: e.labels)
            for input in [e, values] {
                let b = try blockspin(input, block: 2)
                XCTAssertEqual(b.shape, [rows / 2, columns / 2])
                for s in 0..<3 {
                    let x = input.sample(s), y = b.sample(s)
                    for br in 0..<(rows / 2) {
                        for bc in 0..<(columns / 2) {
                            func v(_ r: Int, _ c: Int) -> Float { x[(2 * br + r) * columns + 2 * bc + c] }
                            XCTAssertEqual(y[br * columns / 2 + bc], ((v(0, 0) + v(0, 1)) + (v(1, 0) + v(1, 1))) / 4,
                                           "\(rows)x\(columns) sample \(s) block (\(br), \(bc))")
                        }
                    }
                }
            }
        }
    }

    /// Random ties: reproducible, independent of the thread count, and a fair coin.
    func testRandomTiesAreReproducibleAndFair() throws {
        let e = randomSpins([64, 64], samples: 300, seed: 42)
        let saved = Settings.threads
        defer { Settings.threads = saved }
        Settings.threads = 1
        let one = try majority(e, block: 2, ties: .random)
        Settings.threads = 2
        let two = try majority(e, block: 2, ties: .random)
        XCTAssertEqual(one.packedWords, two.packedWords)
        // Among tied blocks (6 of 16 block patterns), the coin must give up half the time.
        var ties = 0.0, ups = 0.0
        for s in 0..<e.count {
            let b = try blockspin(e.selecting([s]), block: 2).sample(0)
            let m = one.sample(s)
            for j in b.indices where b[j] == 0 { ties += 1; ups += m[j] > 0 ? 1 : 0 }
        }
        let p = ups / ties, sigma = (0.25 / ties).squareRoot()
        XCTAssertLessThan(abs(p - 0.5), 4 * sigma, "fraction up \(p) over \(ties) ties")
    }

    func testNotesLabelsAndPartialCarryOver() throws {
        var e = randomSpins([8, 8], samples: 2, seed: 1)
        e.notes = ["sampler: test"]
        e.isPartial = true
        let d = try decimate(e)
        XCTAssertTrue(d.isPartial)
        XCTAssertEqual(d.notes.first, "sampler: test")
        XCTAssertEqual(d.labels.map(\.seed), e.labels.map(\.seed))
        XCTAssertEqual(d.labels.map(\.beta), e.labels.map(\.beta))
    }

    func testValidationErrors() {
        let odd = randomSpins([5, 5], samples: 1, seed: 1)
        let rect = randomSpins([8, 6], samples: 1, seed: 1)
        let chain = randomSpins([9], samples: 1, seed: 1)
        let cube = Ensemble(shape: [2, 2, 2], values: [Float](repeating: 0, count: 8), labels: [label()])
        let cases: [(String, () throws -> Any)] = [
            ("decimate needs an even lattice side for the checkerboard (got 5x5)", { try decimate(odd) }),
            ("decimate needs an L x L lattice or the L x L/2 lattice of a previous decimation (got 8x6)", { try decimate(rect) }),
            ("decimate needs a chain of even length (got 9)", { try decimate(chain) }),
            ("decimate needs a 1D chain or a 2D lattice (got a 3D shape)", { try decimate(cube) }),
            ("majority with block 2 needs lattice sides divisible by 2 (got 5x5)", { try majority(odd, block: 2) }),
            ("majority block must be at least 2 (got 1)", { try majority(rect, block: 1) }),
            ("blockspin with block 2 needs a chain length divisible by 2 (got 9)", { try blockspin(chain, block: 2) }),
            ("steps must be >= 0 (got -1)", { try rgFlow(rect, rule: .decimate, steps: -1) }),
            ("majority b=2 cannot take 4 steps from a 8x8 lattice: step 4 fails: majority with block 2 needs lattice sides divisible by 2 (got 1x1)",
             { try rgFlow(self.randomSpins([8, 8], samples: 1, seed: 1), rule: .majority(block: 2), steps: 4) }),
        ]
        for (message, call) in cases {
            XCTAssertThrowsError(try call()) { error in
                XCTAssertEqual((error as? CoreError)?.message, message)
            }
        }
        XCTAssertEqual(maxSteps(.decimate, [64, 64]), 12)
        XCTAssertEqual(maxSteps(.majority(block: 2), [64, 64]), 6)
    }
}
