/// Named columns of numbers, each optionally with error bars: what `measure` returns.
///
/// A column named `x` may have a partner error column; plots draw it as error bars and CSV writes it
/// as `x_err`. Text columns (e.g. a model name) are kept separately as labels.
public struct Table: Sendable, Equatable {
    /// One column: its values and, when it is statistical, their one-sigma errors.
    public struct Column: Sendable, Equatable {
        public var name: String
        public var values: [Double]
        public var errors: [Double]?

        public init(_ name: String, _ values: [Double], errors: [Double]? = nil) {
            self.name = name
            self.values = values
            self.errors = errors
        }
    }

    public var columns: [Column]
    /// Optional per-row text (e.g. "input", "AE", "decimated"); empty when unused.
    public var rowLabels: [String]
    /// A short title used by `plot` and the REPL summary.
    public var title: String

    public init(title: String = "", columns: [Column], rowLabels: [String] = []) {
        self.title = title
        self.columns = columns
        self.rowLabels = rowLabels
    }

    public var rowCount: Int { columns.first?.values.count ?? 0 }

    /// The column called `name`, if any.
    public func column(_ name: String) -> Column? { columns.first { $0.name == name } }

    /// One row as measurements (value, error or 0).
    public func row(_ r: Int) -> [Measurement] {
        columns.map { Measurement($0.values[r], error: $0.errors?[r] ?? 0) }
    }

    /// The rows at `indices` (each below `rowCount`), in that order, with the same columns,
    /// errors and title.
    public func rows(_ indices: [Int]) -> Table {
        Table(title: title, columns: columns.map { c in
            Column(c.name, indices.map { c.values[$0] }, errors: c.errors.map { e in indices.map { e[$0] } })
        }, rowLabels: rowLabels.isEmpty ? [] : indices.map { rowLabels[$0] })
    }
}
