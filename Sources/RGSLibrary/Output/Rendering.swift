import Foundation
import RGSNumerics
import RGSPlot

/// Where a figure goes: a named file (by extension), the `--plots DIR` directory, or a text plot
/// in the terminal.
enum Rendering {
    /// Unnamed figures written to the plots directory so far (figure-1.png, figure-2.png, ...).
    nonisolated(unsafe) private static var unnamed = 0

    /// The directory for unnamed figures: `--plots DIR` (RGS_PLOTS) or `plots_dir(...)`.
    nonisolated(unsafe) static var plotsDirectory: String? = {
        let env = ProcessInfo.processInfo.environment["RGS_PLOTS"] ?? ""
        return env.isEmpty ? nil : env
    }()

    /// Renders `figure` to `path` (.png, .svg, .pdf; .gp writes the script and data only) and,
    /// with `script`, also the restylable NAME.gp + NAME.dat beside it. Returns the files written.
    @discardableResult
    static func write(_ figure: Figure, to path: String, script: Bool) throws -> [String] {
        let url = URL(fileURLWithPath: path)
        let ext = url.pathExtension.lowercased()
        let base = url.deletingPathExtension().path
        let renderer = GnuplotRenderer()
        try createParentDirectory(of: path)
        if ext == "gp" {
            try renderer.writeScript(figure, to: base)
            return [base + ".gp", base + ".dat"]
        }
        guard GnuplotRenderer.Format(rawValue: ext) != nil else {
            throw CoreError("cannot draw a figure to '\(path)'", hint: "use a .png, .svg, .pdf or .gp file name")
        }
        try renderer.render(figure, to: path)
        if script {
            try renderer.writeScript(figure, to: base, output: url.lastPathComponent)
            return [path, base + ".gp", base + ".dat"]
        }
        return [path]
    }

    /// Creates the directory `path` is in, and its parents, when it does not exist yet (figures
    /// and data files alike: `save d to "runs/a/d.npz"` needs no mkdir first).
    static func createParentDirectory(of path: String) throws {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !dir.isEmpty, !FileManager.default.fileExists(atPath: dir) { try createDirectory(dir) }
    }

    /// Creates `dir` and its parents, with a plain message when that fails.
    private static func createDirectory(_ dir: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            let e = error as NSError
            let posix = e.domain == NSPOSIXErrorDomain ? e : (e.userInfo[NSUnderlyingErrorKey] as? Error).map { $0 as NSError }
            let reason = posix.map { String(cString: strerror(Int32($0.code))) }
            throw CoreError("cannot create the directory '\(dir)'" + (reason.map { ": \($0)" } ?? ""),
                            hint: "choose a directory you can write to")
        }
    }

    /// An unnamed figure: a PNG in the plots directory if one is set (returning its path),
    /// else nil after printing a text plot sized to the terminal through `output`.
    static func show(_ figure: Figure, output: (String) -> Void) throws -> String? {
        if let dir = plotsDirectory {
            try createDirectory(dir)
            var path: String
            repeat {
                unnamed += 1
                path = (dir as NSString).appendingPathComponent("figure-\(unnamed).png")
            } while FileManager.default.fileExists(atPath: path)
            try write(figure, to: path, script: false)
            return path
        }
        let size = terminalSize()
        output(try GnuplotRenderer().renderText(figure, columns: size.columns, rows: size.rows) + "\n")
        return nil
    }

    /// The terminal's size (80 x 24 when stdout is not a terminal), leaving room for the prompt.
    private static func terminalSize() -> (columns: Int, rows: Int) {
        var w = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 20, w.ws_row > 8 {
            return (Int(w.ws_col), min(Int(w.ws_row) - 2, 40))
        }
        return (80, 24)
    }
}
