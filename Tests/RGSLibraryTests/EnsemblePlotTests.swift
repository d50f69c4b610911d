@testable import RGSLibrary
import RGSPhysics
import RGSPlot
import XCTest

/// How many samples an Ensemble's picture shows.
final class EnsemblePlotTests: XCTestCase {
    /// A chain's image has a row per sample: 32 by default, `count:` of them when given (also
    /// fewer than 32).
    func testChainImageRowsFollowCount() throws {
        let labels = Array(repeating: SampleLabel(beta: 0.5, model: "ising1d"), count: 40)
        let chain = Ensemble(shape: [16], spins: [Int8](repeating: 1, count: 40 * 16), labels: labels)
        func rows(_ count: Int?) throws -> Int? {
            var options = PlotOptions()
            options.count = count
            let item = try EnsembleValue(ensemble: chain).figure(options).panels[0].items.first
            if case .snapshot(let s)? = item { return s.rows }
            return nil
        }
        XCTAssertEqual(try rows(nil), 32)
        XCTAssertEqual(try rows(3), 3)
        XCTAssertEqual(try rows(100), 40)
    }
}
