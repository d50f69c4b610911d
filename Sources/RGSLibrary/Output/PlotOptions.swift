import RGSLanguage
import RGSNumerics
import RGSPlot

/// The styling arguments of `plot`, shared by every value kind's default view.
struct PlotOptions {
    var title: String?
    var xLabel: String?
    var yLabel: String?
    var logX = false
    var logY = false
    /// Table columns: x and y (nil: chosen from the table).
    var x: String?
    var y: [String] = []
    /// How many lattices an ensemble shows, or rows a chain's image, or receptive fields an
    /// RBM's picture (nil: each view's default, 4, 32 and 16).
    var count: Int?
    var style: Series.Style = .linesPoints
    var histogram = false
    var columns: Int?

    /// The defaults (for `save X to "f.png"`).
    init() {}

    init(_ args: Arguments) throws {
        title = args.has("title") ? try args.string("title") : nil
        xLabel = args.has("xlabel") ? try args.string("xlabel") : nil
        yLabel = args.has("ylabel") ? try args.string("ylabel") : nil
        logX = try args.bool("logx")
        logY = try args.bool("logy")
        x = args.has("x") ? try args.string("x") : nil
        if let v = args.value("y") {
            switch v {
            case .string(let s): y = [s]
            case .list(let items):
                y = items.compactMap { if case .string(let s) = $0 { s } else { nil } }
                // A number or another value in the list named no column: it was dropped silently.
                guard y.count == items.count else { fallthrough }
            default: throw args.error("`y` must be a column name or a list of names", at: "y")
            }
        }
        count = args.has("count") ? try args.positiveInt("count") : nil
        switch try args.string("style") {
        case "lines": style = .lines
        case "points": style = .points
        case "histogram": histogram = true
        default: style = .linesPoints
        }
        columns = try args.optionalInt("columns")
        if let c = columns, c < 1 { throw args.error("columns must be positive", at: "columns") }
    }

    /// Applies the panel-level options to a default view.
    func styled(_ figure: Figure) -> Figure {
        var f = figure
        if let title { f.title = title }
        if let columns { f.columns = columns }
        for i in f.panels.indices {
            if let xLabel { f.panels[i].xLabel = xLabel }
            if let yLabel { f.panels[i].yLabel = yLabel }
            if logX { f.panels[i].logX = true }
            if logY { f.panels[i].logY = true }
            // In a figure of several panels (a history's), a log axis goes to the panels that can
            // show it: an RBM's pseudo-likelihood is always negative.
            if f.panels.count > 1, f.panels[i].logAxisProblem != nil {
                (f.panels[i].logX, f.panels[i].logY) = (figure.panels[i].logX, figure.panels[i].logY)
            }
        }
        return f
    }

    /// Refuses, at the argument that asked, what `figure` cannot honour: axis options on a picture
    /// of images only (lattices, heatmaps), and a log axis on which a curve has no positive value.
    func check(_ figure: Figure, of subject: Value, _ args: Arguments) throws {
        if figure.panels.allSatisfy({ $0.image != nil }) {
            for name in ["x", "y", "logx", "logy"] where args.isGiven(name) {
                throw args.error("`\(name):` does not apply to \(withArticle(subject.typeName)), which is drawn as images", at: name,
                                 hint: "x:, y:, logx: and logy: are for Tables; count: sets how many lattices an Ensemble shows")
            }
        }
        for panel in figure.panels {
            guard let problem = panel.logAxisProblem else { continue }
            let name = "log" + problem.axis
            throw args.error("cannot use \(name): \(problem.message)", at: args.isGiven(name) ? name : nil,
                             hint: "drop \(name):, or plot a positive quantity (|m| rather than m)")
        }
    }

    /// The parameters of `plot` (after the subject).
    static var parameters: [Parameter] { [
        Parameter("to", .string, optional: true, "output file: .png, .svg, .pdf, or .gp (script + data to restyle)"),
        Parameter("title", .string, optional: true, "figure title"),
        Parameter("xlabel", .string, optional: true, "x-axis label"),
        Parameter("ylabel", .string, optional: true, "y-axis label"),
        Parameter("logx", .bool, default: .bool(false), "logarithmic x axis (each curve needs a positive x)"),
        Parameter("logy", .bool, default: .bool(false), "logarithmic y axis (each curve needs a positive y)"),
        Parameter("x", .string, optional: true, "Table: the column on the x axis"),
        Parameter("y", .oneOf([.string, .list]), optional: true, "Table: the column(s) on the y axis"),
        Parameter("count", .integer, optional: true,
                  "how many lattices an Ensemble shows, spread over its temperatures (default 4; a chain's image: 32 rows), or receptive fields an RBM (16)"),
        Parameter("style", .choice(["linespoints", "lines", "points", "histogram"]), default: .string("linespoints"),
                  "how series are drawn; histogram bins the values"),
        Parameter("columns", .integer, optional: true, "panels per row"),
        Parameter("script", .bool, default: .bool(false), "also write NAME.gp and NAME.dat beside the picture"),
    ] }
}
