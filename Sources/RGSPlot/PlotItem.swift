import RGSNumerics

/// Something drawn in a panel.
public enum PlotItem: Sendable {
    /// Points joined by lines or not, with optional error bars.
    case series(Series)
    /// Counts of values in equal bins, drawn as boxes.
    case histogram(Histogram)
    /// A matrix as a coloured image with a colour bar (weights, W W^T, <v h>, correlations).
    case heatmap(Heatmap)
    /// A lattice configuration as a grey image, without axes.
    case snapshot(Snapshot)

    /// Unjoined points: a scatter plot.
    public static func scatter(_ name: String = "", x: [Double], y: [Double]) -> PlotItem {
        .series(Series(name, x: x, y: y, style: .points))
    }
}

/// y against x, optionally with one-sigma error bars on y.
public struct Series: Sendable {
    /// How the points are drawn.
    public enum Style: Sendable { case lines, points, linesPoints }

    /// The legend entry; empty for none.
    public var name: String
    public var x: [Double]
    public var y: [Double]
    public var errors: [Double]?
    public var style: Style

    /// Whether some point has a finite x and y (a series of nan, such as a reading outside a
    /// thermometer's range at every step, has none).
    public var hasFinitePoint: Bool { zip(x, y).contains { $0.isFinite && $1.isFinite } }

    /// A series named `name` (the legend entry) with optional one-sigma `errors` on y.
    public init(_ name: String = "", x: [Double], y: [Double], errors: [Double]? = nil, style: Style = .linesPoints) {
        self.name = name
        self.x = x
        self.y = y
        self.errors = errors
        self.style = style
    }
}

/// A histogram of values in `bins` equal bins over `range` (default: the finite values' extent).
public struct Histogram: Sendable {
    public var name: String
    public var values: [Double]
    public var bins: Int
    public var range: ClosedRange<Double>?

    /// A histogram of `values` in `bins` equal bins.
    public init(_ name: String = "", values: [Double], bins: Int = 20, range: ClosedRange<Double>? = nil) {
        self.name = name
        self.values = values
        self.bins = bins
        self.range = range
    }

    /// More bins than any picture can show.
    public static let maximumBins = 100_000

    /// Bin centres, counts and the common bin width; non-finite and out-of-range values are left out.
    public func counts() -> (centers: [Double], counts: [Double], width: Double) {
        let finite = values.filter(\.isFinite)
        guard (1...Histogram.maximumBins).contains(bins), let low = range?.lowerBound ?? finite.min(), let high = range?.upperBound ?? finite.max()
        else { return ([], [], 1) }
        guard low.isFinite, high.isFinite, low <= high else { return ([], [], 1) }
        // Halved, so that ranges as wide as the largest doubles do not overflow.
        let halfSpan = high / 2 - low / 2, width = 2 * (halfSpan / Double(bins))
        // A single distinct value, or a range too narrow to split (subnormal widths), gets one
        // visible bin of width 1.
        guard width.isNormal else {
            return ([low], [Double(finite.filter { $0 >= low && $0 <= high }.count)], 1)
        }
        var counts = [Double](repeating: 0, count: bins)
        for v in finite where v >= low && v <= high {
            counts[min(Int(fraction(v, low: low, high: high) * Double(bins)), bins - 1)] += 1
        }
        return ((0..<bins).map { 2 * (low / 2 + (Double($0) + 0.5) * (halfSpan / Double(bins))) }, counts, width)
    }
}

/// Where `value` lies between `low` and `high` (0 at low, 1 at high; low < high, both finite),
/// computed on halves where the span overflows (ranges as wide as the largest doubles); not
/// otherwise, since half a subnormal span can round to 0.
func fraction(_ value: Double, low: Double, high: Double) -> Double {
    let span = high - low
    return span.isFinite ? (value - low) / span : (value / 2 - low / 2) / (high / 2 - low / 2)
}

/// Colour maps for heatmaps.
public enum Palette: Sendable {
    /// Perceptually uniform dark blue -> green -> yellow (matplotlib's default).
    case viridis
    /// Blue -> white -> red, for signed quantities such as weights (pair with a symmetric range).
    case diverging
    /// Black -> white.
    case grey
}

/// A matrix drawn as an image with a colour bar; row 0 is at the top, as a matrix is printed.
public struct Heatmap: Sendable {
    public var matrix: Matrix
    public var palette: Palette
    /// Centre the colour range on zero (-max|m| ... max|m|) so that the sign of a weight reads as a colour.
    public var symmetric: Bool
    public var colorbarLabel: String

    /// A heatmap; the palette defaults to diverging for symmetric ranges, viridis otherwise.
    public init(_ matrix: Matrix, palette: Palette? = nil, symmetric: Bool = false, colorbarLabel: String = "") {
        self.matrix = matrix
        self.palette = palette ?? (symmetric ? .diverging : .viridis)
        self.symmetric = symmetric
        self.colorbarLabel = colorbarLabel
    }

    /// The colour range (low, high) the image uses.
    var colorRange: (low: Double, high: Double) {
        let finite = matrix.storage.filter(\.isFinite)
        let low = finite.min() ?? 0, high = finite.max() ?? 0
        if symmetric {
            let m = max(abs(low), abs(high), Double.leastNormalMagnitude)
            return (-m, m)
        }
        return (low, high)
    }
}

/// One lattice configuration, row-major: ±1 spins (black = -1, white = +1) or continuous values
/// (e.g. an autoencoder's output), drawn on a grey scale without axes.
public struct Snapshot: Sendable {
    public var rows: Int
    public var columns: Int
    public var values: [Double]

    /// A rows x columns lattice with row-major `values`.
    public init(rows: Int, columns: Int, values: [Double]) {
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Whether every site is exactly -1 or +1.
    var isSpins: Bool { values.allSatisfy { $0 == 1 || $0 == -1 } }

    /// The grey-scale range: [-1, 1] for spins, else the values' extent.
    var colorRange: (low: Double, high: Double) {
        if isSpins { return (-1, 1) }
        let finite = values.filter(\.isFinite)
        return (finite.min() ?? 0, finite.max() ?? 0)
    }

    /// The snapshot as a matrix (row 0 on top), the form the renderers share with heatmaps.
    var matrix: Matrix? {
        let (sites, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard rows > 0, columns > 0, !overflow, values.count == sites else { return nil }
        return Matrix(rows: rows, columns: columns, storage: values)
    }
}
