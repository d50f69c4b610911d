import RGSNumerics

/// A picture to render: one or more panels on a grid, with an optional overall title.
///
/// Panels fill the grid row by row. The figure is a plain value: `GnuplotRenderer` turns it into a
/// gnuplot script (PNG, SVG, PDF, or a text plot) and `GnuplotRenderer.writeScript` saves that
/// script with its data so the user can restyle it.
public struct Figure: Sendable {
    public var title: String
    public var panels: [Panel]
    /// Panels per grid row; nil picks a near-square grid.
    public var columns: Int?

    /// A figure of `panels`, `columns` per grid row (nil: near-square).
    public init(title: String = "", panels: [Panel], columns: Int? = nil) {
        self.title = title
        self.panels = panels
        self.columns = columns
    }

    /// A figure with a single panel.
    public init(title: String = "", _ panel: Panel) {
        self.init(title: title, panels: [panel])
    }

    /// The grid: `columns` if given (at most the panel count), else the smallest square-ish grid.
    public var layout: (rows: Int, columns: Int) {
        let n = max(panels.count, 1)
        var c = columns.map { min(max($0, 1), n) } ?? 1
        if columns == nil { while c * c < n { c += 1 } }
        return ((n + c - 1) / c, c)
    }

    /// A grid of lattice snapshots, e.g. input / autoencoder output / decimated side by side.
    public static func snapshots(title: String = "", _ snapshots: [(title: String, snapshot: Snapshot)],
                                 columns: Int? = nil) -> Figure {
        Figure(title: title, panels: snapshots.map { Panel(title: $0.title, items: [.snapshot($0.snapshot)]) },
               columns: columns)
    }
}

/// One set of axes (or one image) in a figure.
public struct Panel: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var logX: Bool
    public var logY: Bool
    /// Whether to show the key with the series names.
    public var legend: Bool
    /// Whether the y axis starts at 0 (probabilities), instead of at the data's lowest tic.
    public var yFromZero = false
    public var items: [PlotItem]

    /// A panel drawing `items`; log axes and the legend are per panel.
    public init(title: String = "", xLabel: String = "", yLabel: String = "", logX: Bool = false,
                logY: Bool = false, legend: Bool = true, items: [PlotItem]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logX = logX
        self.logY = logY
        self.legend = legend
        self.items = items
    }

    /// The panel's picture when it shows an image (a heatmap or a lattice snapshot) instead of curves.
    public var image: PlotItem? {
        items.first {
            switch $0 {
            case .heatmap, .snapshot: true
            case .series, .histogram: false
            }
        }
    }
}

extension Panel {
    /// The axis ("x" or "y") and the reason when a curve has no point a log axis can show (no
    /// positive value there), else nil. gnuplot would fail ("all points y value undefined"); a
    /// curve with some positive points draws those and leaves the others out.
    public var logAxisProblem: (axis: String, message: String)? {
        guard logX || logY else { return nil }
        for case .series(let s) in items {
            let positive = { (v: Double) in v > 0 && v.isFinite }
            guard !zip(s.x, s.y).contains(where: { (!logX || positive($0)) && (!logY || positive($1)) }) else { continue }
            let axis = logY && !s.y.contains(where: positive) ? "y" : "x"
            let name = s.name.isEmpty ? "the curve" : "'\(s.name)'"
            return (axis, "\(name) has no positive \(axis) value to draw on a log \(axis) axis")
        }
        return nil
    }
}
