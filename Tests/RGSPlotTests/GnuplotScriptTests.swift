@testable import RGSPlot
import RGSNumerics
import XCTest

/// The gnuplot commands generated for a figure, read as text.
final class GnuplotScriptTests: XCTestCase {
    private func commands(_ figure: Figure) throws -> String { try GnuplotScript(figure: figure, source: "$data").commands }

    private func textCommands(_ panel: Panel) throws -> String { try GnuplotScript(panel: panel, number: 1, source: "$data").commands }

    /// The key sits outside the axes, so no data point can hide behind it; images have none.
    func testTheKeyNeverCoversData() throws {
        let pictures = try commands(Figures.lines)
        XCTAssertTrue(pictures.contains("set key outside right top vertical\n"), pictures)
        XCTAssertFalse(pictures.contains("opaque"), pictures)
        XCTAssertTrue(try textCommands(Figures.lines.panels[0]).contains("set key below height 2\n"))
        let heatmap = try commands(Figures.heatmap)
        XCTAssertTrue(heatmap.contains("unset key\n"), heatmap)
        XCTAssertFalse(heatmap.contains("\nset key"), heatmap)
    }
}
