import RGSLanguage
import RGSNumerics

/// A Table in the language: `t.beta` is a column (a list), `t[i]` a row (a record whose columns
/// with errors are measurements), `t[a..b]` a table of those rows, and `print(t)` shows aligned
/// columns with their error bars.
struct TableValue: HostObject {
    let table: Table
    /// How `plot` draws the table (a history's units apart, a beta flow against its diagonal).
    let view: TableView

    init(table: Table, view: TableView = .columns) {
        self.table = table
        self.view = view
    }

    var kindName: String { "Table" }
    var summary: String {
        let cols = table.columns.map(\.name).joined(separator: ", ")
        return "Table\(table.title.isEmpty ? "" : " '\(table.title)'") \(table.rowCount) row\(table.rowCount == 1 ? "" : "s") × [\(cols)]"
    }

    var longDescription: String {
        var header = table.rowLabels.isEmpty ? [] : [""]
        header += table.columns.map(\.name)
        var rows: [[String]] = []
        let classifier = TableView.classes(of: table) != nil
        for r in 0..<table.rowCount {
            var line = table.rowLabels.isEmpty ? [] : [table.rowLabels[r]]
            for c in table.columns {
                // An error that could not be estimated shows as ± nan, never as an exact value.
                if let e = c.errors?[r], e > 0 || e.isNaN { line.append(Measurement(c.values[r], error: e).description) }
                // A classifier's probabilities to three decimals: 14 classes at six digits ran to
                // 180 characters a row (`t.NAME` keeps every digit).
                else if classifier, c.name.hasPrefix("p("), c.values[r].isFinite { line.append(fixed(c.values[r], 3)) }
                else { line.append(compactNumber(c.values[r])) }
            }
            rows.append(line)
        }
        let widths = header.indices.map { i in ([header[i]] + rows.map { $0[i] }).map(\.count).max() ?? 0 }
        let format = { (cells: [String]) in
            zip(cells, widths).map { $0.padding(toWidth: $1) }.joined(separator: "  ").trimmingTrailing()
        }
        var out = table.title.isEmpty ? "" : table.title + "\n"
        out += format(header) + "\n"
        out += rows.map(format).joined(separator: "\n")
        return out
    }

    var memberNames: [String] {
        table.columns.flatMap { c in c.errors == nil ? [c.name] : [c.name, c.name + "_err"] } + ["columns", "rows", "title"]
    }

    func member(_ name: String) -> Value? {
        if let c = table.column(name) { return .list(c.values.map(Value.number)) }
        if name.hasSuffix("_err"), let c = table.column(String(name.dropLast(4))), let e = c.errors {
            return .list(e.map(Value.number))
        }
        switch name {
        case "columns": return .list(table.columns.map { .string($0.name) })
        case "rows": return .number(Double(table.rowCount))
        case "title": return .string(table.title)
        case "label" where !table.rowLabels.isEmpty: return .list(table.rowLabels.map(Value.string))
        default: return nil
        }
    }

    var length: Int? { table.rowCount }

    func element(at index: Int) -> Value? {
        var fields: [(name: String, value: Value)] = []
        if !table.rowLabels.isEmpty { fields.append(("label", .string(table.rowLabels[index]))) }
        for c in table.columns {
            fields.append((c.name, c.errors.map { .measurement(Measurement(c.values[index], error: $0[index])) } ?? .number(c.values[index])))
        }
        return .record(Record(fields))
    }

    /// `t[a..b]` or `t[[i, j]]`: those rows, drawn by `plot` as the whole table is.
    func slice(_ indices: [Int]) throws -> Value? { .object(TableValue(table: table.rows(indices), view: view)) }

    func isEqual(to other: any HostObject) -> Bool { (other as? TableValue)?.table == table }
}

extension String {
    func padding(toWidth width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    func trimmingTrailing() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
