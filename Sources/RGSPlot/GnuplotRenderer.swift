import Foundation
import RGSNumerics

/// Renders figures with gnuplot: PNG (pngcairo), SVG and PDF (pdfcairo) files chosen by the target's
/// extension, text plots (the `dumb` terminal), and restylable `name.gp` + `name.dat` pairs.
public struct GnuplotRenderer: Sendable {
    /// The picture formats, by file extension.
    public enum Format: String, Sendable, CaseIterable { case png, svg, pdf }

    /// The gnuplot executable; nil when none was found.
    public var executable: String?
    /// Seconds to wait for one gnuplot run.
    public var timeout: Double

    /// A renderer using `executable`, or the `gnuplot` found on PATH.
    public init(executable: String? = nil, timeout: Double = 60) {
        self.executable = executable ?? GnuplotRenderer.findOnPath()
        self.timeout = timeout
    }

    /// The error for a missing gnuplot, with the install command.
    public static func notInstalled(wrote files: [String] = []) -> CoreError {
        let note = files.isEmpty ? "" : " (the script and data were written to \(files.joined(separator: " and ")))"
        return CoreError("gnuplot is not installed" + note, hint: "install it with: sudo apt-get install gnuplot-nox")
    }

    /// The image size in pixels for `figure` (PDF uses the same numbers as 1/100 inch).
    public static func pixelSize(for figure: Figure) -> (width: Int, height: Int) {
        let (rows, columns) = figure.layout
        let images = figure.panels.allSatisfy { $0.image != nil }
        let panel = images ? (width: 320, height: 320) : (width: 560, height: 420)
        return (columns * panel.width, rows * panel.height + (figure.title.isEmpty ? 0 : 30))
    }

    /// Renders `figure` to the file at `path` (format from its extension), atomically: gnuplot
    /// writes a temporary file that replaces the target only when it succeeded. Without gnuplot the
    /// script and data are written next to the target and the error says how to install it. A
    /// symbolic link is followed: the file it points to is replaced.
    public func render(_ figure: Figure, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        guard let format = Format(rawValue: url.pathExtension.lowercased()) else {
            throw CoreError("cannot draw a figure as '\(url.pathExtension)'", hint: "name the file .png, .svg or .pdf")
        }
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CoreError("cannot write '\(path)': there is no directory '\(directory)'")
        }
        let script = try GnuplotScript(figure: figure, source: "$data")
        guard let executable = usableExecutable else {
            let base = url.deletingPathExtension().path
            try writeScript(figure, to: base, output: url.lastPathComponent)
            throw GnuplotRenderer.notInstalled(wrote: [base + ".gp", base + ".dat"])
        }
        let target = URL(fileURLWithPath: SymbolicLinks.target(of: path))
        let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        // Create the temporary file first: where that fails (a read-only or foreign folder) the
        // error names the folder and the reason, where gnuplot would only say "cannot open file"
        // about the temporary name. gnuplot then truncates and writes it.
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else {
            throw CoreError("cannot write '\(path)': cannot create a file in '\(target.deletingLastPathComponent().path)' (\(String(cString: strerror(errno))))",
                            hint: "choose a directory you can write to")
        }
        close(descriptor)
        let output = try quotePath(temporary, for: path)
        let preamble = GnuplotRenderer.terminal(format, size: GnuplotRenderer.pixelSize(for: figure))
            + "set output \(output)\n"
        _ = try GnuplotProcess.run(executable, script: script.inline(preamble: preamble) + "unset output\n", timeout: timeout)
        guard let size = try? FileManager.default.attributesOfItem(atPath: temporary)[.size] as? Int, size > 0 else {
            throw CoreError("gnuplot wrote nothing to '\(path)'", hint: "check that the directory exists and is writable")
        }
        guard rename(temporary, target.path) == 0 else {
            throw CoreError("cannot write '\(path)': \(String(cString: strerror(errno)))")
        }
    }

    /// Writes `base.gp` and `base.dat`: a script that reads the data file and draws the figure to
    /// `output` (default `base.png`), to restyle and rerun with `gnuplot base.gp` from that directory.
    public func writeScript(_ figure: Figure, to base: String, output: String? = nil) throws {
        let name = URL(fileURLWithPath: base).lastPathComponent
        let target = output ?? name + ".png"
        let format = Format(rawValue: URL(fileURLWithPath: target).pathExtension.lowercased()) ?? .png
        let script = try GnuplotScript(figure: figure, source: quotePath(name + ".dat"))
        let output = try quotePath(target)
        let text = "# Drawn by rgs. Restyle freely, then run from this directory: gnuplot \(name).gp\n"
            + GnuplotRenderer.terminal(format, size: GnuplotRenderer.pixelSize(for: figure))
            + "set output \(output)\n" + script.commands + "unset output\n"
        do {
            try Data(script.data.utf8).write(to: URL(fileURLWithPath: SymbolicLinks.target(of: base + ".dat")), options: .atomic)
            try Data(text.utf8).write(to: URL(fileURLWithPath: SymbolicLinks.target(of: base + ".gp")), options: .atomic)
        } catch {
            throw CoreError("cannot write '\(base).gp': \(error.localizedDescription)")
        }
    }

    /// The figure as text `columns` wide and about `rows` tall: curves through gnuplot's dumb
    /// terminal, heatmaps and snapshots as shaded characters; panels side by side as in the grid.
    public func renderText(_ figure: Figure, columns: Int = 80, rows: Int = 24) throws -> String {
        guard !figure.panels.isEmpty else { throw CoreError("the figure has no panels") }
        let layout = figure.layout
        let titleLines = figure.title.isEmpty ? 0 : 1
        let cell = (width: max(columns / layout.columns, 16), height: max((rows - titleLines) / layout.rows, 6))
        var lines = figure.title.isEmpty ? [] : [TextImage.centered(figure.title, width: columns)]
        for start in stride(from: 0, to: figure.panels.count, by: layout.columns) {
            let row = start..<min(start + layout.columns, figure.panels.count)
            // A grid of panels may run taller than the terminal (it scrolls) rather than squeeze each
            // panel below what it needs: a curve's axes, ticks and labels, an image's rows of sites.
            let height = row.map { GnuplotRenderer.textHeight(figure.panels[$0], width: cell.width, share: cell.height) }.max() ?? cell.height
            let cells = try row.map { try textCell(figure.panels[$0], number: $0 + 1, width: cell.width, height: height) }
            lines += GnuplotRenderer.sideBySide(cells[...], width: cell.width)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        return lines.joined(separator: "\n")
    }

    /// The lines a text panel gets: its `share` of the terminal, raised for a curve to the 16 lines
    /// that keep its ticks legible (at 11, gnuplot's dumb terminal left a plot area of four lines
    /// whose tick labels overlapped and whose extreme points fell off), and for an image to the
    /// lines that draw a row of sites per line, up to 24 (so an 8x8 receptive field in a 4x4 grid
    /// is 8 lines, not four 2x2 blocks).
    private static func textHeight(_ panel: Panel, width: Int, share: Int) -> Int {
        guard let image = panel.image else { return max(share, 16) }
        return max(share, min(TextImage.naturalHeight(image, width: width - 1) ?? share, 24))
    }

    /// One panel as text lines: images drawn here, curves by gnuplot's dumb terminal.
    private func textCell(_ panel: Panel, number: Int, width: Int, height: Int) throws -> [String] {
        if let image = panel.image { return TextImage.lines(image, title: panel.title, width: width - 1, height: height) }
        guard let executable = usableExecutable else { throw GnuplotRenderer.notInstalled() }
        let script = try GnuplotScript(panel: panel, number: number, source: "$data")
        let preamble = "set terminal dumb size \(width),\(height) noenhanced\n"
        let text = try GnuplotProcess.run(executable, script: script.inline(preamble: preamble), timeout: timeout)
        // dumb starts each page with a form feed.
        return text.replacingOccurrences(of: "\u{0C}", with: "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Cells of `width` characters joined line by line, trailing spaces trimmed.
    private static func sideBySide(_ cells: ArraySlice<[String]>, width: Int) -> [String] {
        let blank = String(repeating: " ", count: width)
        return (0..<(cells.map(\.count).max() ?? 0)).map { line in
            let joined = cells.map { line < $0.count ? $0[line].padding(toLength: width, withPad: " ", startingAt: 0) : blank }.joined()
            return String(joined.reversed().drop(while: { $0 == " " }).reversed())
        }
    }

    private var usableExecutable: String? {
        executable.flatMap { FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil }
    }

    private static func terminal(_ format: Format, size: (width: Int, height: Int)) -> String {
        switch format {
        case .png: "set terminal pngcairo size \(size.width),\(size.height) noenhanced font 'sans,10'\n"
        case .svg: "set terminal svg size \(size.width),\(size.height) noenhanced font 'sans,10' background rgb 'white'\n"
        case .pdf: "set terminal pdfcairo size \(Double(size.width) / 100)in,\(Double(size.height) / 100)in noenhanced font 'sans,10'\n"
        }
    }

    private static func findOnPath() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/gnuplot" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
