import Foundation
import RGSNumerics
import RGSPlot

/// One example figure of each kind, shared by the rendering tests.
enum Figures {
    static let lines = Figure(title: "Magnetisation", Panel(
        title: "2D Ising, L = 16", xLabel: "beta", yLabel: "|m|",
        items: [
            .series(Series("Metropolis", x: [0.3, 0.4, 0.44, 0.5], y: [0.1, 0.3, 0.6, 0.9], errors: [0.01, 0.02, 0.05, 0.01])),
            .series(Series("exact_curve", x: [0.3, 0.4, 0.44, 0.5], y: [0, 0, 0.1, 0.91], style: .lines)),
        ]))

    static let scatter = Figure(Panel(title: "energy vs m", xLabel: "m", yLabel: "E", logY: true,
                                      items: [.scatter("samples", x: [0.1, 0.5, 0.9], y: [1, 10, 100])]))

    static let histogram = Figure(Panel(title: "magnetisation histogram", items: [
        .histogram(Histogram("m_hist", values: (0..<200).map { sin(Double($0)) }, bins: 10)),
    ]))

    static let heatmap = Figure(Panel(title: "W W^T", items: [
        .heatmap(Heatmap(Matrix(rows: 4, columns: 6, storage: (0..<24).map { Double($0) - 11.5 }), symmetric: true,
                         colorbarLabel: "weight")),
    ]))

    static func lattice(_ seed: UInt64, size: Int = 8) -> Snapshot {
        var stream = RandomStream(seed: seed)
        return Snapshot(rows: size, columns: size, values: (0..<(size * size)).map { _ in stream.uniform() < 0.5 ? -1 : 1 })
    }

    static let snapshots = Figure.snapshots(title: "input / AE / decimated", [
        ("input", lattice(1)), ("AE", lattice(2)), ("decimated", lattice(3, size: 4)),
        ("continuous", Snapshot(rows: 2, columns: 2, values: [0.1, 0.5, -0.3, 0.9])),
    ])

    static let panels = Figure(title: "two panels", panels: [
        lines.panels[0], heatmap.panels[0], histogram.panels[0],
    ], columns: 2)

    static let all: [(String, Figure)] = [
        ("lines", lines), ("scatter", scatter), ("histogram", histogram), ("heatmap", heatmap),
        ("snapshots", snapshots), ("panels", panels),
    ]
}

/// A fresh temporary directory per test.
func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "rgsplot-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
