import RGSNumerics

/// Tables in `.npz` archives: one float64 array per column, error bars as `NAME_err` arrays (the
/// CSV convention), so `np.load("t.npz")["beta"]` is the beta column.
extension Npz {
    /// An archive holding the table's columns (row labels and title go to the JSON metadata).
    public init(table: Table) {
        var arrays: [(name: String, array: NpyArray)] = []
        for column in table.columns {
            arrays.append((column.name, NpyArray(vector: column.values)))
            if let errors = column.errors {
                arrays.append((column.name + "_err", NpyArray(vector: errors)))
            }
        }
        self.init(arrays: arrays)
    }

    /// The archive's 1-d arrays of equal length as table columns (`NAME_err` arrays become the
    /// errors of `NAME`); throws when an array is not 1-d or the lengths differ.
    public func table(file: String) throws -> Table {
        var table = Table(columns: [])
        for (name, array) in arrays {
            guard array.shape.count == 1 else {
                throw CoreError("'\(file)': array '\(name)' of shape \(NpyArray.describe(array.shape)) is not a table column")
            }
            guard array.count == table.columns.first?.values.count ?? array.count else {
                throw CoreError("'\(file)': array '\(name)' has \(array.count) rows, the others \(table.rowCount)")
            }
            if name.hasSuffix("_err"), let target = table.columns.firstIndex(where: { $0.name == name.dropLast(4) }) {
                table.columns[target].errors = array.doubles()
            } else {
                table.columns.append(.init(name, array.doubles()))
            }
        }
        return table
    }
}
