import XCTest
import RGSNumerics
@testable import RGSPhysics

/// The two neighbour-offset sources of `RandomSiteMetropolis` (tables per row and column, or
/// wrapped arithmetic) give the same chain, and the tables stay small beside the spins.
final class RandomSiteMetropolisTests: XCTestCase {
    func testOffsetTablesAndArithmeticGiveTheSameSpins() {
        for (shape, field) in [([6, 10], 0.0), ([2, 3], 0.3), ([3, 2], 0.0), ([50], 0.4), ([2], 0.0), ([33, 17], -0.2)] {
            let lattice = Lattice(shape: shape)
            let table = AcceptanceTable(beta: 0.4, field: field, coordination: lattice.coordination)
            var results: [[Int8]] = []
            for tables in [true, false] {
                let kernel = RandomSiteMetropolis(lattice: lattice, table: table, offsetTables: tables)
                var spins = [Int8](repeating: 1, count: lattice.siteCount), trajectory: [Int8] = []
                var rng = RandomStream(seed: 7, stream: 1)
                for _ in 0..<50 {
                    spins.withUnsafeMutableBufferPointer { kernel.sweep($0.baseAddress!, &rng) }
                    trajectory += spins
                }
                results.append(trajectory)
            }
            XCTAssertEqual(results[0], results[1], "\(shape)")
            XCTAssertTrue(results[0].contains(-1), "\(shape): no spin flipped")
        }
    }

    func testOffsetTablesOnlyWhereTheyAreSmall() {
        let table = { (lattice: Lattice) in AcceptanceTable(beta: 0.4, field: 0, coordination: lattice.coordination) }
        for (shape, expected) in [([32, 32], true), ([16, 16], true), ([1000], true), ([1 << 20], false), ([2, 1 << 16], false)] {
            let lattice = Lattice(shape: shape)
            let kernel = RandomSiteMetropolis(lattice: lattice, table: table(lattice))
            XCTAssertEqual(kernel.offsetTables, expected, "\(shape)")
            XCTAssertEqual(kernel.horizontal.isEmpty, !expected)
        }
    }
}
