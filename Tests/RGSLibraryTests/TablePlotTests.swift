@testable import RGSLibrary
import RGSNumerics
import RGSPlot
import XCTest

/// How a table is split into plotted series.
final class TablePlotTests: XCTestCase {
    /// A prediction along a flow from two starts is one curve per start, whatever the predicted
    /// quantity's column is called (beta, temperature, field).
    func testPredictionsAlongAFlowGiveOneCurvePerStart() throws {
        for label in ["beta", "temperature", "field"] {
            let table = Table(title: "predicted", columns: [
                Table.Column("step", [0, 0, 1, 1, 2, 2]), Table.Column(label, [1, 5, 1, 5, 1, 5]),
                Table.Column("predicted", [1.9, 3.4, 2.2, 3.3, 2.3, 3.1], errors: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1]),
            ])
            let figure = try TableValue(table: table).figure(PlotOptions())
            let series = figure.panels[0].items.compactMap { item -> Series? in
                if case .series(let s) = item { return s } else { return nil }
            }
            XCTAssertEqual(series.map(\.name), ["\(label)=1", "\(label)=5"], label)
            XCTAssertEqual(series.map(\.x), [[0, 1, 2], [0, 1, 2]], label)
            XCTAssertEqual(series.map(\.y), [[1.9, 2.2, 2.3], [3.4, 3.3, 3.1]], label)
        }
    }

    /// A prediction on a sweep (no steps) is one curve over the label.
    func testPredictionsOnASweepGiveOneCurve() throws {
        for label in ["temperature", "field", "h"] {
            let table = Table(title: "predicted", columns: [
                Table.Column(label, [1, 2, 3]), Table.Column("predicted", [1.1, 2.2, 2.9], errors: [0.1, 0.1, 0.1]),
            ])
            let figure = try TableValue(table: table).figure(PlotOptions())
            XCTAssertEqual(figure.panels[0].xLabel, label)
            XCTAssertEqual(figure.panels[0].items.count, 1, label)
        }
    }
}

extension TablePlotTests {
    /// A measurement's y axis is named by what was measured, not by its generic `value` column.
    func testAMeasurementsYAxisIsNamedByItsTitle() throws {
        let measured = Table(title: "absolute magnetization", columns: [
            Table.Column("T", [1, 2]), Table.Column("value", [1, 0.9], errors: [0, 0.02]),
        ])
        XCTAssertEqual(try TableValue(table: measured).figure(PlotOptions()).panels[0].yLabel, "absolute magnetization")
        let named = Table(title: "t", columns: [Table.Column("x", [1, 2]), Table.Column("energy", [-1, -2])])
        var options = PlotOptions()
        options.x = "x"
        XCTAssertEqual(try TableValue(table: named).figure(options).panels[0].yLabel, "energy")
    }
}
