import RGSLanguage
import RGSNumerics

/// A Matrix in the language: indexes like a list of rows, reduces like a list of numbers.
struct MatrixValue: HostObject {
    let matrix: Matrix
    /// What `plot` calls the image ("receptive field of h3"); nil for "Matrix 8x8".
    let title: String?
    /// Whether the sign of the entries is what matters (weights, eigenvectors, W W^T, <v h>):
    /// `plot` centres the colours on zero even when every entry has the same sign, so panels
    /// side by side share one colour scale.
    let isSigned: Bool

    /// A matrix; a builtin returning weights or correlators names them and marks them signed for `plot`.
    init(matrix: Matrix, title: String? = nil, isSigned: Bool = false) {
        self.matrix = matrix
        self.title = title
        self.isSigned = isSigned
    }

    var kindName: String { "Matrix" }
    var summary: String {
        let preview = matrix.storage.prefix(4).map { formatNumber(($0 * 1e4).rounded() / 1e4) }.joined(separator: ", ")
        return "Matrix \(matrix.shapeDescription) [\(preview)\(matrix.storage.count > 4 ? ", …" : "")]"
    }
    /// Up to 400 entries, row by row, to six significant digits as tables print them (weights
    /// are float32: their full double expansion, 0.6447014212608337, is noise past the 7th digit).
    var longDescription: String {
        // An empty matrix has no rows to show (or only empty ones): its summary says what it is.
        guard matrix.rows * matrix.columns <= 400, matrix.storage.count > 0 else { return summary }
        return (0..<matrix.rows).map { r in matrix.row(r).map(compactNumber).joined(separator: "\t") }.joined(separator: "\n")
    }
    var memberNames: [String] { ["rows", "columns", "shape", "T"] }
    func member(_ name: String) -> Value? {
        switch name {
        case "rows": return .number(Double(matrix.rows))
        case "columns": return .number(Double(matrix.columns))
        case "shape": return .list([.number(Double(matrix.rows)), .number(Double(matrix.columns))])
        case "T": return .object(MatrixValue(matrix: matrix.transposed))
        default: return nil
        }
    }
    var length: Int? { matrix.rows }
    func element(at index: Int) -> Value? { .list(matrix.row(index).map(Value.number)) }
    func numbers() -> [Double]? { matrix.storage }
    func isEqual(to other: any HostObject) -> Bool { (other as? MatrixValue)?.matrix == matrix }
    func slice(_ indices: [Int]) throws -> Value? {
        var rows: [Double] = []
        for i in indices { rows += matrix.row(i) }
        return .object(MatrixValue(matrix: Matrix(rows: indices.count, columns: matrix.columns, storage: rows)))
    }
}
