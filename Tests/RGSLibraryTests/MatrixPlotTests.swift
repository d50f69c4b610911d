@testable import RGSLibrary
import RGSNumerics
import RGSPlot
import XCTest

/// How a Matrix is drawn: weights on a symmetric diverging scale whatever their signs.
final class MatrixPlotTests: XCTestCase {
    private func heatmap(_ value: MatrixValue) throws -> (title: String, heatmap: Heatmap?) {
        let panel = try value.figure(PlotOptions()).panels[0]
        let map = panel.items.compactMap { item -> Heatmap? in if case .heatmap(let h) = item { h } else { nil } }.first
        return (panel.title, map)
    }

    /// A receptive field whose weights all have one sign is still drawn centred on zero, as every
    /// other weight image is, so that the colour means the same sign in every panel.
    func testWeightsOfOneSignUseTheDivergingPalette() throws {
        let positive = Matrix(rows: 2, columns: 2, storage: [0.1, 0.2, 0.3, 0.4])
        let field = try heatmap(MatrixValue(matrix: positive, title: "receptive field of h3", isSigned: true))
        XCTAssertEqual(field.title, "receptive field of h3")
        XCTAssertEqual(field.heatmap?.symmetric, true)
        XCTAssertEqual(field.heatmap?.palette, .diverging)
        // Plain data of one sign keeps the sequential palette.
        let data = try heatmap(MatrixValue(matrix: positive))
        XCTAssertEqual(data.title, "Matrix 2x2")
        XCTAssertEqual(data.heatmap?.palette, .viridis)
    }

    /// W W^T and <v h> images say what they are and share the diverging scale, so neighbouring
    /// panels of correlators of one sign and of both signs compare by colour.
    func testCorrelatorsAreTitledAndSigned() throws {
        let run = try Library.makeInterpreter(output: { _ in })
        try run.run("""
            let d = ising(L: 4, beta: 0.4, samples: 64, seed: 1)
            let r = train rbm(hidden: 4) on d epochs: 1
            let g = wwt(r)
            let vh = vh_correlation(d, majority(d, block: 2), unit: 1)
            """, file: "matrices.rgs")
        let values = Dictionary(uniqueKeysWithValues: run.variables.map { ($0.name, $0.value) })
        for (name, title) in [("g", "W W^T (visible x visible)"), ("vh", "<v h> of hidden unit 1")] {
            let value = try XCTUnwrap(values[name]?.object(MatrixValue.self))
            let image = try heatmap(value)
            XCTAssertEqual(image.title, title)
            XCTAssertEqual(image.heatmap?.palette, .diverging)
        }
    }
}
