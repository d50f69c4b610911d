import Foundation
import RGSNumerics
import RGSPlot
import XCTest

final class RenderTests: XCTestCase {
    private let renderer = GnuplotRenderer()

    override func setUpWithError() throws {
        if renderer.executable == nil { throw XCTSkip("gnuplot is not installed: skipping rendering tests") }
    }

    func testEveryFigureRendersToPNGOfTheExpectedSize() throws {
        let directory = try temporaryDirectory()
        for (name, figure) in Figures.all {
            let path = "\(directory)/\(name).png"
            try renderer.render(figure, to: path)
            let png = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], name)
            XCTAssertEqual(Array(png[12..<16]), Array("IHDR".utf8), name)
            func bigEndian(_ at: Int) -> Int { png[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
            let size = GnuplotRenderer.pixelSize(for: figure)
            XCTAssertEqual(bigEndian(16), size.width, name)
            XCTAssertEqual(bigEndian(20), size.height, name)
        }
        // Only the pictures remain: no temporary files.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).sorted(),
                       Figures.all.map { "\($0.0).png" }.sorted())
    }

    func testEveryFigureRendersToSVGWithItsNames() throws {
        let directory = try temporaryDirectory()
        for (name, figure) in Figures.all {
            let path = "\(directory)/\(name).svg"
            try renderer.render(figure, to: path)
            let svg = try String(contentsOfFile: path, encoding: .utf8)
            XCTAssertTrue(svg.contains("<svg"), name)
            for panel in figure.panels {
                XCTAssertTrue(svg.contains(panel.title), "\(name): \(panel.title)")
                for case .series(let series) in panel.items { XCTAssertTrue(svg.contains(series.name), "\(name): \(series.name)") }
                for case .histogram(let histogram) in panel.items { XCTAssertTrue(svg.contains(histogram.name), name) }
            }
        }
    }

    func testEveryFigureRendersToPDF() throws {
        let directory = try temporaryDirectory()
        for (name, figure) in Figures.all {
            let path = "\(directory)/\(name).pdf"
            try renderer.render(figure, to: path)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(5), Data("%PDF-".utf8), name)
        }
    }

    func testTextPlotShowsAxesLegendAndImages() throws {
        let text = try renderer.renderText(Figures.lines, columns: 70, rows: 20)
        XCTAssertTrue(text.hasPrefix(String(repeating: " ", count: 28) + "Magnetisation\n"), text)
        XCTAssertTrue(text.contains("2D Ising, L = 16"), text)
        XCTAssertTrue(text.contains("Metropolis"), text)
        XCTAssertTrue(text.contains("exact_curve"), text)
        XCTAssertTrue(text.contains("+-----"), text)  // the frame
        XCTAssertTrue(text.contains("beta"), text)
        XCTAssertLessThanOrEqual(text.split(separator: "\n").map(\.count).max() ?? 0, 70)

        let snapshots = try renderer.renderText(Figures.snapshots, columns: 80, rows: 24)
        let spins = Figures.lattice(1).values
        let firstRow = "|" + (0..<8).map { spins[$0] > 0 ? "██" : "  " }.joined() + "|"
        XCTAssertTrue(snapshots.split(separator: "\n").contains { $0.hasPrefix(firstRow) }, snapshots)
        XCTAssertTrue(snapshots.contains("decimated"), snapshots)

        let heatmap = try renderer.renderText(Figures.heatmap, columns: 40, rows: 12)
        // 4x6 values zoomed 2x: each matrix row is two lines of 24 characters.
        XCTAssertEqual(heatmap, [
            "          W W^T",
            "+------------------------+",
            "|            ........::::|", "|            ........::::|",
            "|::::------------========|", "|::::------------========|",
            "|++++++++************####|", "|++++++++************####|",
            "|####%%%%%%%%@@@@@@@@@@@@|", "|####%%%%%%%%@@@@@@@@@@@@|",
            "+------------------------+",
            #"-11.5 " .:-=+*#%@" 11.5"#,
        ].joined(separator: "\n"))
    }

    /// A grid of panels runs taller than the terminal rather than squeeze its panels: each 8x8 field
    /// of a 4x4 grid (an RBM's receptive fields) keeps a line per row of sites (at 80x24 they were
    /// 2x2 blocks), and a colour legend too wide for its column wraps instead of running into the
    /// next one ("-0.0908706 to 0.0908-0.127152 to 0.12715").
    func testImageGridsKeepARowOfSitesPerLine() throws {
        let fields = (0..<16).map { k in
            Panel(title: "h\(k)", legend: false,
                  items: [.heatmap(Heatmap(Matrix(rows: 8, columns: 8, storage: (0..<64).map { Double($0 - k) / 710 }), symmetric: true))])
        }
        let lines = try renderer.renderText(Figure(title: "receptive fields", panels: fields), columns: 80, rows: 24).split(separator: "\n")
        XCTAssertEqual(lines.filter { $0.hasPrefix("+----------------+  +") }.count, 8)  // top and bottom edges of 4 rows
        XCTAssertEqual(lines.filter { $0.hasPrefix("|") }.count, 4 * 8)
        XCTAssertLessThanOrEqual(lines.map(\.count).max() ?? 0, 80)
        let legends = lines.filter { $0.contains(" to") }
        XCTAssertEqual(legends.count, 4)
        for line in legends + lines.filter({ $0.hasPrefix("0.0") }) {
            for word in line.split(separator: " ") where word != "to" { XCTAssertNotNil(Double(word), "\(word) in \(line)") }
        }
    }

    /// Curve panels of a grid get at least 16 lines: at 11, gnuplot's dumb terminal left four
    /// lines of plot whose tick labels ran together ("-2-27") and whose lowest point fell off.
    func testCurveGridsKeepLegibleAxes() throws {
        let panels = (0..<3).map { k in
            Panel(xLabel: "epoch", yLabel: "monitor \(k)", items: [.series(Series(x: [1, 2, 3], y: [-27.16, -27.19, -28.72]))])
        }
        let text = try renderer.renderText(Figure(title: "RBM monitors", panels: panels), columns: 80, rows: 24)
        XCTAssertGreaterThan(text.split(separator: "\n", omittingEmptySubsequences: false).count, 24)  // two rows of 16, trimmed
        XCTAssertFalse(text.contains("-2-27"), text)
        XCTAssertTrue(text.contains("-28.8"), text)  // the axis reaches below the lowest point
    }

    func testLargeLatticesAreAveragedToFit() throws {
        let text = try renderer.renderText(Figure(Panel(items: [.snapshot(Figures.lattice(4, size: 64))])), columns: 40, rows: 20)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertLessThanOrEqual(lines.count, 20)
        XCTAssertLessThanOrEqual(lines.map(\.count).max() ?? 0, 40)
    }

    /// Values as large as the largest doubles (whose range overflows) and non-finite ones shade
    /// without a trap: the extremes at the ends of the ramp, inf and nan as "?".
    func testExtremeValuesShadeWithoutOverflow() throws {
        for values in [[1e308, -1e308, 1e308, 1e308], [.infinity, -1e308, .nan, 1e308], [.leastNonzeroMagnitude, 0, 0, 0]] {
            let heatmap = Heatmap(Matrix(rows: 2, columns: 2, storage: values))
            let text = try renderer.renderText(Figure(Panel(items: [.heatmap(heatmap)])), columns: 40, rows: 20)
            XCTAssertTrue(text.contains("@"), text)
            XCTAssertEqual(text.contains("?"), values.contains { !$0.isFinite }, text)
        }
        // Histograms of ranges that overflow or are too narrow to split (found by fuzzing).
        for values in [[1e308, -1e308], [Double.leastNonzeroMagnitude, 0], [3, 3]] {
            let h = Histogram(values: values)
            let (centers, counts, width) = h.counts()
            XCTAssertEqual(counts.reduce(0, +), 2, "\(values)")
            XCTAssertTrue(width.isFinite && width > 0 && centers.allSatisfy(\.isFinite), "\(values)")
            XCTAssertNoThrow(try renderer.renderText(Figure(Panel(items: [.histogram(h)])), columns: 60, rows: 20))
        }
        XCTAssertEqual(Histogram(values: [1e308, -1e308]).counts().counts.first, 1)
    }

    func testGnuplotErrorsAreSurfaced() throws {
        let figure = Figure(Panel(logX: true, items: [.histogram(Histogram("neg", values: [-1, -2]))]))
        XCTAssertThrowsError(try renderer.render(figure, to: try temporaryDirectory() + "/bad.png")) { error in
            XCTAssertEqual("\(error)", "gnuplot failed: x range is invalid")
            XCTAssertEqual((error as? CoreError)?.hint?.hasPrefix("in the gnuplot command: plot $data index 0"), true)
        }
    }

    /// A folder where no file can be created is named with the reason (gnuplot only said "cannot
    /// open file" about the hidden temporary name); /proc refuses new files even to root.
    func testUnwritableFolderIsNamed() throws {
        guard FileManager.default.fileExists(atPath: "/proc/self") else { throw XCTSkip("no /proc") }
        XCTAssertThrowsError(try renderer.render(Figures.lines, to: "/proc/rgs-figure.png")) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot write '/proc/rgs-figure.png': cannot create a file in '/proc' ("), "\(error)")
            XCTAssertEqual((error as? CoreError)?.hint, "choose a directory you can write to")
        }
    }

    /// gnuplot runs backquoted commands inside double-quoted strings: user text must never reach it that way.
    func testUserTextNeverRunsShellCommands() throws {
        let directory = try temporaryDirectory()
        let marker = "\(directory)/ran"
        let hostile = ["`touch \(marker)`", "$(touch \(marker))", "it's \"quoted\" \\ back", "cr\r\nsystem('touch \(marker)')",
                       "two\nlines", "@macro"]
        let series = hostile.enumerated().map { PlotItem.series(Series($1, x: [0, 1], y: [Double($0), 1])) }
        let figure = Figure(title: hostile[0], panels: [Panel(title: hostile[1], xLabel: hostile[2], yLabel: hostile[3], items: series)])
        try renderer.render(figure, to: "\(directory)/plot.svg")
        _ = try renderer.renderText(figure)
        try renderer.writeScript(figure, to: "\(directory)/saved")
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker))
        let svg = try String(contentsOfFile: "\(directory)/plot.svg", encoding: .utf8)
        for text in ["`touch \(marker)`", "$(touch \(marker))", "quoted", "@macro"] { XCTAssertTrue(svg.contains(text), text) }
        XCTAssertThrowsError(try renderer.render(figure, to: "\(directory)/a\nb.png")) {
            XCTAssertEqual("\($0)", "cannot plot to '\(directory)/a\\nb.png': the name contains a control character")
        }
    }

    /// Drawing through a symbolic link replaces the picture it points to and keeps the link.
    func testSymbolicLinksAreFollowed() throws {
        let directory = try temporaryDirectory()
        try renderer.render(Figures.lines, to: "\(directory)/real.svg")
        try FileManager.default.createSymbolicLink(atPath: "\(directory)/link.svg", withDestinationPath: "real.svg")
        try renderer.render(Figures.histogram, to: "\(directory)/link.svg")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/link.svg"), "real.svg")
        XCTAssertTrue(try String(contentsOfFile: "\(directory)/real.svg", encoding: .utf8).contains("<svg"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).sorted(), ["link.svg", "real.svg"])
    }

    func testInvalidFiguresAreRefusedBeforeGnuplot() {
        let bad: [(Figure, String)] = [
            (Figure(panels: []), "the figure has no panels"),
            (Figure(Panel(items: [])), "panel 1 has nothing to plot"),
            (Figure(Panel(items: [.series(Series("m", x: [1, 2], y: [1]))])), "panel 1: 'm' has 2 x values but 1 y values"),
            (Figure(Panel(items: [.snapshot(Snapshot(rows: 2, columns: 2, values: [1]))])),
             "panel 1: a 2x2 snapshot needs one value per site, not 1"),
            (Figure(Panel(items: [.histogram(Histogram("h", values: [.nan]))])), "panel 1: histogram 'h' has no finite values"),
            (Figure(Panel(items: [.histogram(Histogram(values: [1], bins: 0))])), "panel 1: histogram needs 1 to 100000 bins, not 0"),
            (Figure(Panel(items: [.histogram(Histogram(values: [1], range: -.infinity...0))])), "panel 1: histogram needs a finite range"),
            (Figure(Panel(items: [.heatmap(Heatmap(Matrix(rows: 0, columns: 3)))])), "panel 1: the heatmap's matrix is empty"),
            (Figure(Panel(items: [.snapshot(Snapshot(rows: 2, columns: 0, values: []))])),
             "panel 1: a snapshot needs positive rows and columns, not 2x0"),
            // gnuplot would fail with "all points y value undefined!" and its own command.
            (Figure(Panel(logY: true, items: [.series(Series("m", x: [1, 2], y: [1, 2])), .series(Series("b", x: [1, 2], y: [0, -1]))])),
             "panel 1: 'b' has no positive y value to draw on a log y axis"),
            (Figure(Panel(logX: true, logY: true, items: [.series(Series(x: [-1, 2], y: [1, -2]))])),
             "panel 1: the curve has no positive x value to draw on a log x axis"),
        ]
        for (figure, message) in bad {
            XCTAssertThrowsError(try renderer.render(figure, to: "/tmp/never.png")) { XCTAssertEqual("\($0)", message) }
        }
        XCTAssertThrowsError(try renderer.render(Figures.lines, to: "/tmp/x.jpg")) {
            XCTAssertEqual("\($0)", "cannot draw a figure as 'jpg'")
        }
    }
}

extension RenderTests {
    /// For a visual check: `RGS_SHOW_PLOTS=1 swift test --filter testPrintExamples` writes every
    /// example figure to /tmp/rgsplot-NAME.png and their text plots to /tmp/rgsplot-text.txt.
    func testPrintExamples() throws {
        guard ProcessInfo.processInfo.environment["RGS_SHOW_PLOTS"] != nil else { return }
        let texts = try Figures.all.map { try renderer.renderText($0.1, columns: 100, rows: 30) }
        try texts.joined(separator: "\n\n").write(toFile: "/tmp/rgsplot-text.txt", atomically: true, encoding: .utf8)
        for (name, figure) in Figures.all { try renderer.render(figure, to: "/tmp/rgsplot-\(name).png") }
    }
}
