import RGSLanguage
import RGSNumerics
import RGSPhysics

/// Matrices and tables built from plain rgs values, and conversions between them.
enum DataBuiltins {
    static var builtins: [Builtin] { [
        Builtin("matrix", "A Matrix from a list of equal-length rows, or an Ensemble as a samples x sites matrix.",
                parameters: [Parameter("rows", .oneOf([.list, .kind("Ensemble"), .kind("Matrix")]),
                                       "e.g. [[1, 2], [3, 4]], or an ensemble (row = linearised lattice, row-major)")]) { args in
            let v = args.value("rows") ?? .nothing
            if let e = v.object(EnsembleValue.self) {
                let m = e.ensemble
                try checkSize(Double(m.count) * Double(m.siteCount), args)
                return .matrix(Matrix(rows: m.count, columns: m.siteCount, floats: m.floatMatrix()))
            }
            if let m = v.object(MatrixValue.self) { return .object(m) }
            guard let rows = v.elements() else { throw args.error("expected a list of rows", at: "rows") }
            var storage: [Double] = []
            var width: Int?
            for (r, row) in rows.enumerated() {
                guard let cells = row.elements() else {
                    throw args.error("row \(r) is \(withArticle(row.typeName)), not a list of numbers", at: "rows")
                }
                if let w = width, w != cells.count {
                    throw args.error("row \(r) has \(cells.count) numbers, row 0 has \(w)", at: "rows")
                }
                width = cells.count
                for c in cells {
                    guard case .number(let x) = c else { throw args.error("row \(r) holds \(withArticle(c.typeName))", at: "rows") }
                    storage.append(x)
                }
            }
            return .matrix(Matrix(rows: rows.count, columns: width ?? 0, storage: storage))
        },
        Builtin("table", "A Table from a record of equal-length number lists; `x_err` fields become error bars of `x`.",
                parameters: [Parameter("columns", .any, "e.g. {T: temps, m: ms, m_err: errs}"),
                             Parameter("title", .string, default: .string(""), "shown by print and plot")],
                details: "A list of measurements is a column with its error bars: {T: temps, m: ms} where "
                    + "ms = [magnetization(d1), ...].") { args in
            guard case .record(let rec)? = args.value("columns") else {
                throw args.error("expected a record of columns such as {T: [1, 2], m: [0.9, 0.5]}", at: "columns")
            }
            var lists: [(String, [Double])] = []
            for (name, value) in rec.fields {
                guard let xs = value.elements(), let column = MeasurementValue.measurements(xs) else {
                    throw args.error("column '\(name)' must be a list of numbers or measurements", at: "columns")
                }
                if let first = lists.first, first.1.count != xs.count {
                    throw args.error("column '\(name)' has \(xs.count) values, '\(first.0)' has \(first.1.count)", at: "columns")
                }
                lists.append((name, column.map(\.value)))
                if column.contains(where: { $0.error != 0 }) {
                    guard rec.fields.allSatisfy({ $0.0 != name + "_err" }) else {
                        throw args.error("column '\(name)' holds measurements, which carry their errors; leave out '\(name)_err'",
                                         at: "columns")
                    }
                    lists.append((name + "_err", column.map(\.error)))
                }
            }
            let errors = Dictionary(lists.filter { $0.0.hasSuffix("_err") }.map { (String($0.0.dropLast(4)), $0.1) }) { a, _ in a }
            let names = Set(lists.map(\.0))
            // X_err is X's error column, so an error of an error column has no column to go to.
            for (name, _) in lists where name.hasSuffix("_err") {
                let base = String(name.dropLast(4)), root = String(base.dropLast(4))
                if base.hasSuffix("_err"), names.contains(base), names.contains(root) {
                    throw args.error("column '\(name)' would be the error of '\(base)', which is the error of '\(root)'", at: "columns",
                                     hint: "give it a name that does not end in _err")
                }
            }
            let columns = lists.filter { name, _ in !(name.hasSuffix("_err") && names.contains(String(name.dropLast(4)))) }
                .map { name, values in Table.Column(name, values, errors: errors[name]) }
            return .object(TableValue(table: Table(title: try args.string("title"), columns: columns)))
        },
    ] }

    /// Refuses conversions that would not fit in memory (over 2^31 elements).
    static func checkSize(_ elements: Double, _ args: Arguments) throws {
        if elements > 2_147_483_648 {
            throw args.error("result too large (\(Int(elements)) elements)")
        }
    }
}
