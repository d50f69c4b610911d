@testable import RGSLibrary
import RGSNumerics
import RGSPhysics
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

/// Tables whose columns do not share one unit: histories and the beta flow.
final class TableViewTests: XCTestCase {
    private func series(_ panel: Panel) -> [Series] {
        panel.items.compactMap { item -> Series? in if case .series(let s) = item { s } else { nil } }
    }

    /// A net's losses share an axis; its learning rate gets a panel of its own.
    func testANetsHistoryPlotsTheLearningRateApartFromTheLosses() throws {
        let history = Table(title: "loss per epoch", columns: [
            Table.Column("epoch", [1, 2, 3]), Table.Column("train", [1, 0.6, 0.4]),
            Table.Column("validation", [0.8, 0.5, 0.3]), Table.Column("lr", [0.001, 0.001, 0.0005]),
        ])
        let figure = try TableValue(table: history, view: .netHistory).figure(PlotOptions())
        XCTAssertEqual(figure.title, "loss per epoch")
        XCTAssertEqual(figure.panels.map(\.yLabel), ["loss", "learning rate"])
        XCTAssertEqual(figure.panels.map { series($0).map(\.name) }, [["train", "validation"], [""]])
        XCTAssertEqual(figure.panels.map(\.xLabel), ["epoch", "epoch"])
        // Columns named with y: share one axis again.
        var options = PlotOptions()
        options.y = ["train", "lr"]
        XCTAssertEqual(try TableValue(table: history, view: .netHistory).figure(options).panels.count, 1)
    }

    /// An RBM's monitors (reconstruction error ~0.02 beside a pseudo-likelihood ~-7) each get an axis;
    /// a missing monitor is left out.
    func testAnRBMsMonitorsEachGetAnAxis() throws {
        let monitors = Table(title: "RBM monitors", columns: [
            Table.Column("epoch", [1, 2]), Table.Column("reconstruction", [0.02, 0.016]),
            Table.Column("pseudo_likelihood", [-9, -7]),
        ])
        let figure = try TableValue(table: monitors, view: .rbmMonitors).figure(PlotOptions())
        XCTAssertEqual(figure.panels.map(\.yLabel), ["reconstruction error", "pseudo-likelihood"])
        XCTAssertEqual(figure.panels.map { series($0).map(\.y) }, [[[0.02, 0.016]], [[-9, -7]]])
    }

    /// The beta flow draws beta' against the inputs' beta with the diagonal whose crossing is the
    /// fixed point; x: "beta" puts the label beta on the x axis.
    func testTheBetaFlowShowsTheDiagonalAndItsFixedPoint() throws {
        let flow = Table(title: "autoencoder beta flow", columns: [
            Table.Column("beta", [0.3, 0.4, 0.5]),
            Table.Column("input", [0.31, 0.4, 0.49], errors: [0.01, 0.01, 0.01]),
            Table.Column("output", [0.35, 0.42, 0.45], errors: [0.01, 0.01, 0.01]),
        ])
        let panel = try TableValue(table: flow, view: .betaFlow).figure(PlotOptions()).panels[0]
        XCTAssertEqual(panel.xLabel, "beta (predicted on the inputs)")
        XCTAssertEqual(panel.yLabel, "beta' (predicted on the AE outputs)")
        let curves = series(panel)
        XCTAssertEqual(curves.map(\.name), ["AE outputs", "beta' = beta"])
        XCTAssertEqual(curves[0].x, [0.31, 0.4, 0.49])
        XCTAssertEqual(curves[1].x, [0.31, 0.49])
        XCTAssertEqual(curves[1].y, [0.31, 0.49])
        // beta' - beta goes from +0.02 at 0.4 to -0.04 at 0.49: the crossing is at 0.43.
        XCTAssertEqual(panel.title, "autoencoder beta flow, fixed point 0.43")

        var options = PlotOptions()
        options.x = "beta"
        let byLabel = try TableValue(table: flow, view: .betaFlow).figure(options).panels[0]
        XCTAssertEqual(byLabel.xLabel, "beta (label)")
        XCTAssertEqual(byLabel.yLabel, "predicted beta")
        XCTAssertEqual(series(byLabel).map(\.name), ["input", "output", "beta' = beta"])
        XCTAssertEqual(series(byLabel).last?.x, [0.3, 0.5])
    }

    /// A classifier's measurement draws each row's probability over the classes, named by step
    /// and label, beside the mean prediction per step; one row gives the distribution alone. The
    /// table needs no view: its columns (predicted, p(class)) say what it is, also when loaded.
    func testAClassifierTableShowsItsDistributionOverTheClasses() throws {
        let flow = Table(title: "predicted temperature along rbm", columns: [
            Table.Column("step", [0, 1]),
            Table.Column("temperature", [5, 5]),
            Table.Column("predicted", [4.1, 3.2], errors: [0.1, 0.1]),
            Table.Column("samples", [100, 100]),
            Table.Column("p(2)", [0.1, 0.4]),
            Table.Column("p(5)", [0.9, 0.6]),
        ])
        let figure = try TableValue(table: flow).figure(PlotOptions())
        XCTAssertEqual(figure.panels.map(\.title), ["probability over the classes", "mean prediction"])
        let curves = series(figure.panels[0])
        XCTAssertEqual(curves.map(\.name), ["step 0, temperature 5", "step 1, temperature 5"])
        XCTAssertEqual(curves.map(\.x), [[2, 5], [2, 5]])
        XCTAssertEqual(curves.map(\.y), [[0.1, 0.9], [0.4, 0.6]])
        XCTAssertEqual(figure.panels[0].xLabel, "temperature")
        XCTAssertEqual(figure.panels.map(\.yFromZero), [true, false])
        XCTAssertEqual(series(figure.panels[1]).map(\.y), [[4.1, 3.2]])

        let one = Table(title: "predicted temperature", columns: flow.columns.dropFirst().map {
            Table.Column($0.name, [$0.values[0]], errors: $0.errors.map { [$0[0]] })
        })
        XCTAssertEqual(try TableValue(table: one).figure(PlotOptions()).panels.count, 1)
        XCTAssertNil(TableView.classes(of: Table(title: "", columns: [Table.Column("p(x)", [1]), Table.Column("predicted", [1])])))
        var plain = PlotOptions()
        plain.y = ["predicted"]
        XCTAssertEqual(try TableValue(table: flow).figure(plain).panels.map(\.yLabel), ["predicted"])
    }

    /// Series of a flow started at several temperatures are named by T when T reads as typed
    /// (T = 1 and 5, not beta = 1 and 0.2), by beta when beta does (beta = 0.7, not T = 1.42857).
    func testSeriesAreNamedByTheTemperatureAsTyped() throws {
        func names(_ betas: [Double]) throws -> [String] {
            let table = Table(title: "temperature along rbm", columns: [
                Table.Column("step", [0, 1, 0, 1]),
                Table.Column("beta", [betas[0], betas[0], betas[1], betas[1]]),
                Table.Column("T", [1 / betas[0], 1 / betas[0], 1 / betas[1], 1 / betas[1]]),
                Table.Column("value", [1, 1.5, 5, 4], errors: [0.1, 0.1, 0.1, 0.1]),
            ])
            return series(try TableValue(table: table).figure(PlotOptions()).panels[0]).map(\.name)
        }
        XCTAssertEqual(try names([1, 0.2]), ["T=1", "T=5"])
        XCTAssertEqual(try names([0.7, 0.4407]), ["beta=0.7", "beta=0.4407"])
        let start = Ensemble(shape: [2, 2], packed: [0, 0], labels: [SampleLabel(beta: 0.2, model: "ising"), SampleLabel(beta: 1, model: "ising")])
        XCTAssertEqual(Flow(name: "rbm", steps: [start]).title, "rbm from T = 5, 1")
        XCTAssertEqual(Flow(name: "rbm", steps: [start.selecting([0])]).title, "rbm from T = 5")
    }

    /// A classifier's probabilities print to three decimals (14 classes at six digits ran to 180
    /// characters a row); the numbers themselves keep every digit.
    func testClassifierProbabilitiesPrintToThreeDecimals() {
        let table = Table(title: "predicted temperature", columns: [
            Table.Column("predicted", [1.8], errors: [0.01]),
            Table.Column("p(1)", [0.189154]),
            Table.Column("p(2)", [0.810846]),
        ])
        let text = TableValue(table: table).longDescription
        XCTAssertTrue(text.hasSuffix("1.800 ± 0.010  0.189  0.811"), text)
        XCTAssertEqual(TableValue(table: table).member("p(1)")?.description, "[0.189154]")
        let plain = Table(title: "", columns: [Table.Column("p(1)", [0.189154])])
        XCTAssertTrue(TableValue(table: plain).longDescription.hasSuffix("0.189154"))
    }

    /// The one-line summary counts rows in the singular for one.
    func testSummaryCountsRows() {
        XCTAssertTrue(TableValue(table: Table(title: "", columns: [Table.Column("a", [1])])).summary.hasPrefix("Table 1 row × "))
        XCTAssertTrue(TableValue(table: Table(title: "", columns: [Table.Column("a", [1, 2])])).summary.hasPrefix("Table 2 rows × "))
    }
}
