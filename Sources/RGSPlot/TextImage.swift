import RGSNumerics

/// Heatmaps and lattice snapshots as characters, for text plots (gnuplot's `dumb` terminal cannot
/// draw images).
///
/// A site is two characters wide and one line tall, which looks roughly square in a terminal (small
/// grids are zoomed up to 4x). A lattice larger than the space is averaged over square blocks of sites. Exact ±1 spins are drawn
/// as "██" (up) and "  " (down); anything else on the shading ramp " .:-=+*#%@" from low to high.
/// An ASCII frame (as gnuplot's `dumb` draws around curves) shows the picture's extent.
enum TextImage {
    static let ramp = Array(" .:-=+*#%@")

    /// What an image item draws: its grid, colour range, whether it is a lattice of spins and
    /// whether it has a colour legend; nil for curves and for a snapshot without a valid grid.
    private static func picture(_ item: PlotItem) -> (grid: Matrix, range: (low: Double, high: Double), spins: Bool, legend: Bool)? {
        switch item {
        case .heatmap(let heatmap): return (heatmap.matrix, heatmap.colorRange, false, true)
        case .snapshot(let snapshot): return snapshot.matrix.map { ($0, snapshot.colorRange, snapshot.isSpins, false) }
        case .series, .histogram: return nil
        }
    }

    /// The side of the square blocks of sites averaged into one character pair so that the grid
    /// fits `width` characters (frame included) and `lines` lines.
    private static func block(_ grid: Matrix, width: Int, lines: Int) -> Int {
        var block = 1
        while (grid.columns + block - 1) / block * 2 > width - 2 || (grid.rows + block - 1) / block > lines { block += 1 }
        return block
    }

    /// The colour legend under a heatmap: the ramp with its ends when that fits the frame, else
    /// the ends alone, on two lines when one line would be wider than the panel (and would run
    /// into the panel beside it).
    private static func legend(_ range: (low: Double, high: Double), frame: Int, width: Int) -> [String] {
        let (low, high) = (compactNumber(range.low), compactNumber(range.high))
        let full = "\(low) \"\(String(ramp))\" \(high)"
        if full.count <= frame { return [full] }
        return "\(low) to \(high)".count <= width ? ["\(low) to \(high)"] : ["\(low) to", high]
    }

    /// The number of lines `lines(_:title:width:height:)` needs to draw `item` one line per row of
    /// sites, or per row of blocks where `width` is too narrow for every column (nil for curves):
    /// a grid of panels gives its images this much height rather than shrink them to the terminal.
    static func naturalHeight(_ item: PlotItem, width: Int) -> Int? {
        guard let p = picture(item), !p.grid.storage.isEmpty else { return nil }
        let b = block(p.grid, width: width, lines: .max)
        let frame = (p.grid.columns + b - 1) / b * 2 + 2
        return (p.grid.rows + b - 1) / b + 3 + (p.legend ? legend(p.range, frame: frame, width: width).count : 0)
    }

    /// The lines (each at most `width` characters) picturing `item` with its title on top.
    static func lines(_ item: PlotItem, title: String, width: Int, height: Int) -> [String] {
        guard let (grid, range, spins, legend) = picture(item) else { return [title] }
        guard !grid.storage.isEmpty else { return [title, "(empty)"] }
        // A frame keeps the picture's size visible: down spins and the lowest shade are blank.
        let width = max(width, 4)
        let legendLines = legend ? TextImage.legend(range, frame: grid.columns * 2 + 2, width: width).count : 0
        let available = max(1, height - 3 - legendLines)
        // Shrink by averaging blocks of sites until the grid fits, or zoom small grids to fill the space.
        let block = TextImage.block(grid, width: width, lines: available)
        let zoom = block > 1 ? 1 : max(1, min((width - 2) / (grid.columns * 2), available / grid.rows, 4))
        let shown = (rows: (grid.rows + block - 1) / block, columns: (grid.columns + block - 1) / block)
        let edge = "+" + String(repeating: "-", count: shown.columns * 2 * zoom) + "+"
        var lines = [centered(title, width: shown.columns * 2 * zoom + 2), edge]
        for r in 0..<shown.rows {
            var line = ""
            for c in 0..<shown.columns {
                let mean = average(grid, rows: (r * block)..<min((r + 1) * block, grid.rows),
                                   columns: (c * block)..<min((c + 1) * block, grid.columns))
                let cell = spins && block == 1 ? (mean > 0 ? "█" : " ") : shade(mean, range)
                line += String(repeating: cell, count: 2 * zoom)
            }
            lines += Array(repeating: "|" + line + "|", count: zoom)
        }
        lines.append(edge)
        // Six significant digits; without the ramp when that is wider than the picture.
        if legend { lines += TextImage.legend(range, frame: shown.columns * 2 * zoom + 2, width: width) }
        return lines
    }

    private static func average(_ grid: Matrix, rows: Range<Int>, columns: Range<Int>) -> Double {
        // Each term divided first: a block of values near the largest doubles does not overflow.
        let count = Double(rows.count * columns.count)
        var sum = 0.0
        for r in rows { for c in columns { sum += grid[r, c] / count } }
        return sum
    }

    private static func shade(_ value: Double, _ range: (low: Double, high: Double)) -> Character {
        guard value.isFinite else { return "?" }
        guard range.high > range.low else { return ramp[ramp.count / 2] }
        let t = fraction(value, low: range.low, high: range.high)
        guard t.isFinite else { return "?" }
        return ramp[min(Int(min(max(t, 0), 1) * Double(ramp.count)), ramp.count - 1)]
    }

    static func centered(_ text: String, width: Int) -> String {
        String(repeating: " ", count: max(0, (width - text.count) / 2)) + text
    }
}
