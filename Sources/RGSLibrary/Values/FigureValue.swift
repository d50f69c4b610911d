import RGSLanguage
import RGSIO
import RGSPlot

/// A Figure in the language: what `plot` builds; `plot FIG to "f.png"` or `save FIG to "f.svg"`
/// renders it, `[fig1, fig2] | plot` puts their panels side by side.
struct FigureValue: HostObject {
    let figure: Figure

    var kindName: String { "Figure" }
    var summary: String {
        let names = figure.panels.map(\.title).filter { !$0.isEmpty }
        let title = figure.title.isEmpty ? "" : " '\(figure.title)'"
        return "Figure\(title) \(figure.panels.count) panel\(figure.panels.count == 1 ? "" : "s")"
            + (names.isEmpty ? "" : ": " + names.prefix(6).joined(separator: ", ") + (names.count > 6 ? ", ..." : ""))
    }
    var memberNames: [String] { ["panels", "title"] }
    func member(_ name: String) -> Value? {
        switch name {
        case "panels": return .number(Double(figure.panels.count))
        case "title": return .string(figure.title)
        default: return nil
        }
    }
}

/// Values that know their default picture (`plot X`).
protocol Plottable {
    func figure(_ options: PlotOptions) throws -> Figure
}

/// Values that know how they are stored in an .npz archive (`save X to "f.npz"`).
protocol Archivable {
    func archive() throws -> Npz
}
