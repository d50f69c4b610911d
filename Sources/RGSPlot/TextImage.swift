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

    /// The lines (each at most `width` characters) picturing `item` with its title on top.
    static func lines(_ item: PlotItem, title: String, width: Int, height: Int) -> [String] {
        let grid: Matrix, range: (low: Double, high: Double), spins: Bool, legend: Bool
        switch item {
        case .heatmap(let heatmap):
            grid = heatmap.matrix
            range = heatmap.colorRange
            spins = false
            legend = true
        case .snapshot(let snapshot):
            guard let matrix = snapshot.matrix else { return [title] }
            grid = matrix
            range = snapshot.colorRange
            spins = snapshot.isSpins
            legend = false
        case .series, .histogram:
            return [title]
        }
        guard !grid.storage.isEmpty else { return [title, "(empty)"] }
        // A frame keeps the picture's size visible: down spins and the lowest shade are blank.
        let width = max(width - 2, 2), available = max(1, height - 3 - (legend ? 1 : 0))
        // Shrink by averaging blocks of sites until the grid fits, or zoom small grids to fill the space.
        var block = 1
        while (grid.columns + block - 1) / block * 2 > width || (grid.rows + block - 1) / block > available { block += 1 }
        let zoom = block > 1 ? 1 : max(1, min(width / (grid.columns * 2), available / grid.rows, 4))
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
        if legend {
            // Six significant digits; without the ramp when that is wider than the panel.
            let (low, high) = (compactNumber(range.low), compactNumber(range.high))
            let full = "\(low) \"\(String(ramp))\" \(high)"
            lines.append(full.count <= shown.columns * 2 * zoom + 2 ? full : "\(low) to \(high)")
        }
        return lines
    }

    private static func average(_ grid: Matrix, rows: Range<Int>, columns: Range<Int>) -> Double {
        var sum = 0.0
        for r in rows { for c in columns { sum += grid[r, c] } }
        return sum / Double(rows.count * columns.count)
    }

    private static func shade(_ value: Double, _ range: (low: Double, high: Double)) -> Character {
        guard value.isFinite else { return "?" }
        guard range.high > range.low else { return ramp[ramp.count / 2] }
        let t = min(max((value - range.low) / (range.high - range.low), 0), 1)
        return ramp[min(Int(t * Double(ramp.count)), ramp.count - 1)]
    }

    static func centered(_ text: String, width: Int) -> String {
        String(repeating: " ", count: max(0, (width - text.count) / 2)) + text
    }
}
