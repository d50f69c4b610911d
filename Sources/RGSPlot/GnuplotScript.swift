import RGSNumerics

/// A figure (or one panel) as gnuplot commands plus the data they plot.
///
/// The data is one text in gnuplot's indexed format: blocks separated by two blank lines, each
/// addressed as `SOURCE index k`, where SOURCE is an inline datablock (`$data`) when rendering and
/// the `.dat` file when the script is saved for the user. Curves are `x y [error]` lines, images
/// are ASCII matrices plotted `matrix with image`.
struct GnuplotScript {
    private(set) var data = ""
    private(set) var commands = ""
    private var blocks = 0
    private let source: String
    /// Whether the commands are for gnuplot's `dumb` terminal (a text plot), where space is scarce.
    private let text: Bool
    /// Panels of a figure with a title or several panels: a key above a panel would run into the
    /// figure's title when it is wider than half the panel, so it goes under the panel.
    private var underFigureTitle = false
    /// Filled circles on graphics terminals; text plots keep gnuplot's letters.
    private var point: String { text ? "" : " pt 7" }

    /// The commands that draw `figure` from `source` (after the terminal and output are set).
    init(figure: Figure, source: String) throws {
        self.source = source
        self.text = false
        guard !figure.panels.isEmpty else { throw CoreError("the figure has no panels") }
        let (rows, columns) = figure.layout
        let multiplot = figure.panels.count > 1 || !figure.title.isEmpty
        underFigureTitle = multiplot
        if multiplot { commands += "set multiplot layout \(rows),\(columns) title \(quote(figure.title))\n" }
        for (number, panel) in figure.panels.enumerated() { try add(panel, number: number + 1) }
        if multiplot { commands += "unset multiplot\n" }
    }

    /// The commands that draw a single panel (text plots draw panels one by one).
    init(panel: Panel, number: Int, source: String) throws {
        self.source = source
        self.text = true
        try add(panel, number: number)
    }

    /// The whole script with the data inline, for a terminal set up by `preamble`.
    func inline(preamble: String) -> String {
        preamble + "$data << EOD\n" + data + "EOD\n" + commands
    }

    private mutating func add(_ panel: Panel, number: Int) throws {
        guard !panel.items.isEmpty else { throw CoreError("panel \(number) has nothing to plot") }
        // Series without a finite point are left out, and named in the title, while others remain.
        let empty = panel.items.map { item -> String? in
            if case .series(let s) = item, s.x.count == s.y.count, !s.hasFinitePoint { s.name.isEmpty ? "series" : s.name } else { nil }
        }
        let leftOut = empty.contains(nil) ? empty.compactMap { $0 } : []
        let drawn = leftOut.isEmpty ? panel.items : zip(panel.items, empty).filter { $1 == nil }.map(\.0)
        var title = panel.title + (leftOut.isEmpty ? "" : " (no finite points: \(leftOut.joined(separator: ", ")))")
        // About 7 pixels a character: a title wider than the plot area (320-pixel images beside a
        // colour bar, 560-pixel curves) was cut at both sides.
        if !text { title = wrapped(title, width: panel.image != nil ? 40 : 72) }
        commands += "\n# panel \(number)\nreset\nset title \(quote(title))\n"
        if let image = panel.image {
            try addImage(image, number: number)
            return
        }
        commands += "set xlabel \(quote(panel.xLabel))\n"
        if text {
            // dumb cannot turn the y label on its side: beside the axis it runs into the tick labels
            // ("value0.5"), so it goes on a line of its own above the axis, under the title (unless
            // it repeats the title, as the y label of a one-column table named by its title does).
            if !panel.yLabel.isEmpty, panel.yLabel != panel.title {
                commands += "set label 1 \(quote(panel.yLabel)) at graph 0, graph 1 left offset character -4, character 1\n"
                    + "set tmargin 3\nset title offset 0, 1\n"
            }
        } else {
            commands += "set ylabel \(quote(panel.yLabel))\n"
        }
        if let problem = panel.logAxisProblem {
            throw CoreError("panel \(number): \(problem.message)",
                            hint: "use a linear \(problem.axis) axis, or plot a positive quantity (|m| rather than m)")
        }
        if panel.logX { commands += "set logscale x\n" }
        if panel.logY { commands += "set logscale y\n" }
        // The key sits outside the axes, so it never hides data: above them on single pictures,
        // under them in figures with a title (`underFigureTitle`), and under the x label in text
        // plots (whose width is scarce; the extra height keeps the error-bar sample off the x label).
        let key = text ? "set key below height 2" : underFigureTitle ? "set key bmargin center horizontal" : "set key tmargin center horizontal"
        commands += panel.legend ? key + "\n" : "unset key\n"
        // A margin left and right inside the frame, so error bars at the first and last x are not
        // cut by it. Pictures autoscale y to the next tic; in text plots a point within a character
        // of that tic (|m| = 0.99 under 1, e = -1.997 over -2) was drawn over by the frame, so they
        // get a margin in y too.
        commands += text ? "set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.05\n" : "set offsets graph 0.03, graph 0.03, 0, 0\n"
        if let level = Self.constantLevel(panel) {
            // gnuplot widens a flat line's range by a hair and prints equal ticks (0.00101,
            // 0.00101, 0.00100 for a constant learning rate): give it a range that reads.
            let range = panel.logY ? (level / 2, level * 2) : level == 0 ? (-1, 1) : (level - abs(level) / 10, level + abs(level) / 10)
            commands += "set yrange [\(range.0):\(range.1)]\n"
        } else if panel.yFromZero, !panel.logY {
            commands += "set yrange [0:*]\n"
        }
        // Curves over distinct x values end at their data (plus the offsets), not at the next tic
        // (20 flow steps ran on an axis from -5 to 25).
        let curves = drawn.compactMap { if case .series(let s) = $0 { s } else { nil } }
        let xs = Set(curves.flatMap { $0.x.filter(\.isFinite) })
        if !text, xs.count > 1, curves.count == drawn.count { commands += "set autoscale xfix\n" }
        // gnuplot's colours repeat after 8 (steps 0 and 8 of a flow looked the same): more curves
        // take their colours in order along the viridis scale.
        let graded = !text && curves.count > 8
        if graded { commands += "set palette \(paletteSpec(.viridis))\nunset colorbox\n" }
        var clauses: [String] = [], drawnCurves = 0
        for item in drawn {
            switch item {
            case .series(let series):
                let colour = graded ? " lc palette frac \(Double(drawnCurves) / Double(curves.count - 1))" : ""
                clauses.append(try clause(series, number: number, colour: colour))
                drawnCurves += 1
            case .histogram(let histogram): clauses.append(try clause(histogram, number: number))
            case .heatmap, .snapshot: break  // an image panel was handled above
            }
        }
        commands += "plot " + clauses.joined(separator: ", \\\n     ") + "\n"
    }

    /// The one y value of a panel whose series are all flat (error bars included), else nil.
    private static func constantLevel(_ panel: Panel) -> Double? {
        var level: Double?
        for item in panel.items {
            guard case .series(let series) = item, (series.errors ?? []).allSatisfy({ $0 == 0 || !$0.isFinite }) else { return nil }
            for y in series.y where y.isFinite {
                if level == nil { level = y } else if level != y { return nil }
            }
        }
        return level
    }

    /// A curve's plot clause; `colour` (` lc ...`) follows its style.
    private mutating func clause(_ series: Series, number: Int, colour: String) throws -> String {
        let label = series.name.isEmpty ? "series" : "'\(series.name)'"
        guard series.x.count == series.y.count else {
            throw CoreError("panel \(number): \(label) has \(series.x.count) x values but \(series.y.count) y values")
        }
        if let errors = series.errors, errors.count != series.y.count {
            throw CoreError("panel \(number): \(label) has \(series.y.count) values but \(errors.count) errors")
        }
        guard series.hasFinitePoint else {
            throw CoreError("panel \(number): \(label) has no finite points to plot")
        }
        let rows = series.x.indices.map { i in
            ([series.x[i], series.y[i]] + (series.errors.map { [$0[i]] } ?? [])).map(datum).joined(separator: " ")
        }
        let index = addBlock(rows)
        let style: String
        switch (series.style, series.errors != nil) {
        case (.lines, false): style = "using 1:2 with lines"
        case (.points, false): style = "using 1:2 with points" + point
        case (.linesPoints, false): style = "using 1:2 with linespoints" + point
        case (.points, true): style = "using 1:2:3 with yerrorbars" + point
        case (.lines, true), (.linesPoints, true): style = "using 1:2:3 with yerrorlines" + point
        }
        return "\(source) index \(index) \(style)\(colour) \(title(series.name))"
    }

    private mutating func clause(_ histogram: Histogram, number: Int) throws -> String {
        let label = histogram.name.isEmpty ? "histogram" : "histogram '\(histogram.name)'"
        guard (1...Histogram.maximumBins).contains(histogram.bins) else {
            throw CoreError("panel \(number): \(label) needs 1 to \(Histogram.maximumBins) bins, not \(histogram.bins)")
        }
        if let range = histogram.range, !(range.lowerBound.isFinite && range.upperBound.isFinite) {
            throw CoreError("panel \(number): \(label) needs a finite range")
        }
        let (centers, counts, width) = histogram.counts()
        guard !centers.isEmpty else { throw CoreError("panel \(number): \(label) has no finite values") }
        commands += "set style fill solid 0.5 border\nset yrange [0:*]\n"
        let index = addBlock(zip(centers, counts).map { "\(datum($0)) \(datum($1)) \(datum(width))" })
        return "\(source) index \(index) using 1:2:3 with boxes \(title(histogram.name))"
    }

    private mutating func addImage(_ item: PlotItem, number: Int) throws {
        let matrix: Matrix, range: (low: Double, high: Double)
        switch item {
        case .heatmap(let heatmap):
            guard !heatmap.matrix.storage.isEmpty else {
                throw CoreError("panel \(number): the heatmap's matrix is empty")
            }
            matrix = heatmap.matrix
            range = heatmap.colorRange
            commands += "set palette \(paletteSpec(heatmap.palette))\nset cblabel \(quote(heatmap.colorbarLabel))\n"
            // Whole-number ticks: gnuplot's own put ticks at -0.5, 0, 0.5 ... on small matrices.
            commands += "set xtics \(tickStep(matrix.columns))\nset ytics \(tickStep(matrix.rows))\n"
        case .snapshot(let snapshot):
            guard snapshot.rows > 0, snapshot.columns > 0 else {
                throw CoreError("panel \(number): a snapshot needs positive rows and columns, not \(snapshot.rows)x\(snapshot.columns)")
            }
            guard let grid = snapshot.matrix else {
                throw CoreError("panel \(number): a \(snapshot.rows)x\(snapshot.columns) snapshot needs one value per site, "
                                + "not \(snapshot.values.count)")
            }
            matrix = grid
            range = snapshot.colorRange
            commands += "set palette \(paletteSpec(.grey))\nunset colorbox\nunset tics\nset size ratio -1\n"
        case .series, .histogram:
            return
        }
        if range.low < range.high { commands += "set cbrange [\(datum(range.low)):\(datum(range.high))]\n" }
        // Row 0 at the top, as a matrix is printed and a lattice is drawn.
        commands += "set xrange [-0.5:\(Double(matrix.columns) - 0.5)]\nset yrange [\(Double(matrix.rows) - 0.5):-0.5]\n"
        let index = addBlock((0..<matrix.rows).map { matrix.row($0).map(datum).joined(separator: " ") })
        commands += "unset key\nplot \(source) index \(index) matrix with image notitle\n"
    }

    /// A whole tick step giving at most about ten ticks over `count` rows or columns.
    private func tickStep(_ count: Int) -> Int {
        let raw = max(1, (count + 9) / 10)
        return [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000].first { $0 >= raw } ?? raw
    }

    private func paletteSpec(_ palette: Palette) -> String {
        switch palette {
        case .viridis: "defined (0 '#440154', 0.25 '#3b528b', 0.5 '#21918c', 0.75 '#5ec962', 1 '#fde725')"
        case .diverging: "defined (0 '#2166ac', 0.5 '#f7f7f7', 1 '#b2182b')"
        case .grey: "defined (0 'black', 1 'white')"
        }
    }

    /// Appends a data block and returns its index.
    private mutating func addBlock(_ lines: [String]) -> Int {
        if blocks > 0 { data += "\n\n" }
        data += lines.joined(separator: "\n") + "\n"
        blocks += 1
        return blocks - 1
    }

    private func title(_ name: String) -> String { name.isEmpty ? "notitle" : "title \(quote(name))" }

    private func datum(_ x: Double) -> String { x.isFinite ? "\(x)" : "NaN" }
}

/// `text` broken into lines of at most `width` characters at spaces (a longer word keeps its line).
func wrapped(_ text: String, width: Int) -> String {
    var lines: [String] = [], line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
        if !line.isEmpty, line.count + 1 + word.count > width {
            lines.append(line)
            line = String(word)
        } else {
            line += (line.isEmpty ? "" : " ") + word
        }
    }
    return (lines + [line]).joined(separator: "\n")
}

/// A gnuplot string expression for user text (titles, labels, legend entries).
///
/// Every piece is single-quoted: gnuplot runs backquoted shell commands inside double-quoted
/// strings, never inside single-quoted ones. Line breaks join the pieces as `'a'."\n".'b'`;
/// other control characters (a carriage return would end the command) become spaces.
func quote(_ text: String) -> String {
    var scalars = String.UnicodeScalarView()
    for scalar in text.unicodeScalars { scalars.append(isControl(scalar) && scalar != "\n" ? " " : scalar) }
    return String(scalars).split(separator: "\n", omittingEmptySubsequences: false)
        .map { singleQuoted(String($0)) }.joined(separator: ".\"\\n\".")
}

/// A file name as a gnuplot string; names with control characters are refused, since a line
/// break would end the command and the rest would run as gnuplot commands. `userPath` is the name
/// the error shows when `path` is a temporary file beside it.
func quotePath(_ path: String, for userPath: String? = nil) throws -> String {
    guard !path.unicodeScalars.contains(where: isControl) else {
        let shown = (userPath ?? path).debugDescription.dropFirst().dropLast()
        throw CoreError("cannot plot to '\(shown)': the name contains a control character",
                        hint: "choose a file name without line breaks or tabs")
    }
    return singleQuoted(path)
}

/// A gnuplot single-quoted literal: no escapes, a quote is doubled.
private func singleQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
}

private func isControl(_ scalar: Unicode.Scalar) -> Bool { scalar.value < 0x20 || scalar.value == 0x7f }
