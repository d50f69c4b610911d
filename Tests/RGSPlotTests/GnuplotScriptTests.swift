import Foundation
@testable import RGSPlot
import RGSNumerics
import XCTest

/// The gnuplot commands generated for a figure, read as text.
final class GnuplotScriptTests: XCTestCase {
    private func commands(_ figure: Figure) throws -> String { try GnuplotScript(figure: figure, source: "$data").commands }

    private func textCommands(_ panel: Panel) throws -> String { try GnuplotScript(panel: panel, number: 1, source: "$data").commands }

    /// The key sits outside the axes, so no data point can hide behind it; images have none. It
    /// goes above a lone panel and under the panels of a figure with a title, where a wide key
    /// above the first panel ran into the title.
    func testTheKeyNeverCoversData() throws {
        let pictures = try commands(Figures.lines)
        XCTAssertTrue(pictures.contains("set key bmargin center horizontal\n"), pictures)
        let lone = try commands(Figure(Figures.lines.panels[0]))
        XCTAssertTrue(lone.contains("set key tmargin center horizontal\n"), lone)
        XCTAssertFalse(pictures.contains("opaque"), pictures)
        XCTAssertTrue(try textCommands(Figures.lines.panels[0]).contains("set key below height 2\n"))
        let heatmap = try commands(Figures.heatmap)
        XCTAssertTrue(heatmap.contains("unset key\n"), heatmap)
        XCTAssertFalse(heatmap.contains("\nset key"), heatmap)
    }

    /// More than 8 curves (gnuplot's colour cycle) take colours in order along viridis; curves
    /// end at their data in x (no axis from -5 to 25 for steps 0...20); long titles wrap.
    func testManyCurvesAreGradedAndFitTheirRange() throws {
        let curves = (0..<10).map { k in PlotItem.series(Series("step \(k)", x: [0, 20], y: [Double(k), Double(k + 1)])) }
        let many = try commands(Figure(Panel(title: String(repeating: "word ", count: 20), items: curves)))
        XCTAssertTrue(many.contains("set autoscale xfix\n"), many)
        XCTAssertTrue(many.contains("with linespoints pt 7 lc palette frac 0.0 title 'step 0'"), many)
        XCTAssertTrue(many.contains("lc palette frac 1.0 title 'step 9'"), many)
        XCTAssertTrue(many.contains("set title 'word word word word word word word word word word word word word word'.\"\\n\".'word word word word word word '"), many)
        let few = try commands(Figure(Panel(items: Array(curves.prefix(8)))))
        XCTAssertFalse(few.contains("palette"), few)
    }

    /// A flat line gets a y range a tenth of its level either side (gnuplot's own printed equal
    /// ticks); a panel with any variation or error bar keeps autoscaling.
    func testAFlatLineGetsAReadableRange() throws {
        let flat = Figure(Panel(items: [.series(Series(x: [1, 2, 3], y: [0.001, 0.001, 0.001]))]))
        XCTAssertTrue(try commands(flat).contains("set yrange [0.0009:0.0011]\n"))
        let varying = Figure(Panel(items: [.series(Series(x: [1, 2], y: [0.001, 0.002]))]))
        XCTAssertFalse(try commands(varying).contains("set yrange"))
        let withErrors = Figure(Panel(items: [.series(Series(x: [1, 2], y: [1, 1], errors: [0.1, 0.1]))]))
        XCTAssertFalse(try commands(withErrors).contains("set yrange"))
    }

    /// A series without a finite point (a reading out of range at every step) is left out and
    /// named in the title while others remain; a panel of such series only is an error.
    func testSeriesOfNaNAreLeftOutAndNamed() throws {
        let nan = Series("T=9", x: [0, 1], y: [.nan, .nan]), fine = Series("T=2", x: [0, 1], y: [2, 2.1])
        var panel = Panel(items: [.series(fine), .series(nan)])
        panel.title = "T read"
        let script = try commands(Figure(panel))
        XCTAssertTrue(script.contains("set title 'T read (no finite points: T=9)'\n"), script)
        XCTAssertEqual(script.components(separatedBy: " index ").count, 2, script)
        XCTAssertThrowsError(try commands(Figure(Panel(items: [.series(nan)]))))
    }

    /// Probabilities start at 0 (a one-row distribution of 0.3 and 0.7 was drawn from 0.3 up).
    func testAPanelFromZeroSetsTheLowerEndOnly() throws {
        var probabilities = Panel(items: [.series(Series(x: [2, 5], y: [0.3, 0.7]))])
        probabilities.yFromZero = true
        XCTAssertTrue(try commands(Figure(probabilities)).contains("set yrange [0:*]\n"))
        probabilities.logY = true
        XCTAssertFalse(try commands(Figure(probabilities)).contains("set yrange"))
    }
}

extension GnuplotScriptTests {
    /// In text plots the y label has a line of its own above the axis, apart from the tick labels.
    func testTextPlotsPutTheYLabelAboveTheAxis() throws {
        let panel = Panel(title: "absolute magnetization", xLabel: "T", yLabel: "magnetization",
                          items: [.series(Series(x: [1, 2, 3], y: [0.01, -0.05, 0.09]))])
        let text = try textCommands(panel)
        XCTAssertFalse(text.contains("set ylabel"), text)
        XCTAssertTrue(text.contains("set label 1 'magnetization' at graph 0, graph 1"), text)
        XCTAssertTrue(try commands(Figure(panel)).contains("set ylabel 'magnetization'\n"))
        let renderer = GnuplotRenderer()
        guard renderer.executable != nil else { throw XCTSkip("gnuplot is not installed") }
        let lines = try renderer.renderText(Figure(panel), columns: 60, rows: 16).split(separator: "\n")
        let label = try XCTUnwrap(lines.firstIndex { $0.trimmingCharacters(in: .whitespaces) == "magnetization" },
                                  lines.joined(separator: "\n"))
        XCTAssertTrue(lines[label - 1].contains("absolute magnetization"))
        XCTAssertTrue(lines[label + 1].contains("+-----"), lines.joined(separator: "\n"))
    }

    /// A y label equal to the panel title (a one-column table's axis is named by its title) is not
    /// printed a second time under the title in a text plot.
    func testTextPlotsDoNotRepeatTheTitleAsYLabel() throws {
        let panel = Panel(title: "energy per spin", xLabel: "step", yLabel: "energy per spin",
                          items: [.series(Series(x: [0, 1, 2], y: [-1.5, -1.2, -0.9]))])
        XCTAssertFalse(try textCommands(panel).contains("set label 1"))
        XCTAssertTrue(try commands(Figure(panel)).contains("set ylabel 'energy per spin'\n"))
    }
}

extension GnuplotScriptTests {
    /// A point just inside a tic at the end of the y range (|m| = 0.997 under 1) is not drawn over
    /// by the frame of a text plot: every point's marker shows.
    func testTextPlotsShowPointsNextToTheFrame() throws {
        let renderer = GnuplotRenderer()
        guard renderer.executable != nil else { throw XCTSkip("gnuplot is not installed") }
        for y in [[0.997, 0.6, 0.2], [-1.997, -1.2, -0.5]] {
            let panel = Panel(title: "", xLabel: "T", yLabel: "", items: [.series(Series("m", x: [1.5, 2.5, 3.5], y: y))])
            let text = try renderer.renderText(Figure(panel), columns: 60, rows: 20)
            let plotted = text.split(separator: "\n").filter { $0.contains("|") }.joined()
            XCTAssertEqual(plotted.filter { $0 == "A" }.count, 3, text)
        }
    }
}
