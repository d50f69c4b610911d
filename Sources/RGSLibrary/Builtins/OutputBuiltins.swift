import Foundation
import RGSIO
import RGSLanguage
import RGSNumerics
import RGSPhysics
import RGSPlot

/// Figures and data files: `plot`, `save`, `load`, `plots_dir`.
enum OutputBuiltins {
    static var builtins: [Builtin] { [
        Builtin("plot", "Draws a value: to a file (.png, .svg, .pdf, .gp), or as a text plot when no file is given.",
                parameters: [Parameter("value", .any, "Ensemble (snapshots), Table (lines with error bars), Flow (|m|, e per step), Matrix (heatmap), Net, Figure, or a list of these")]
                    + PlotOptions.parameters,
                details: """
                Without `to:` the figure goes to the --plots directory (figure-N.png) if one is set, else it is printed
                as a text plot sized to the terminal. Returns the Figure, so `let f = plot(t)` then `plot f to "f.svg"`.
                Histories (net.history, r.history) give each unit its own panel (losses apart from lr); beta_flow(...).table
                draws beta' against beta with the diagonal beta' = beta, whose crossing is the fixed point.
                Examples: plot ising(L: 32, beta: 0.44, samples: 4) to "snap.png"
                          measure magnetization of rg(d, steps: 3) | plot to "m.pdf" logy: true
                          plot [d, decimate(d)]          # first lattices side by side
                """) { args in
            let options = try PlotOptions(args)
            let subject = args.value("value") ?? .nothing
            let figure = options.styled(try figure(of: subject, options, args, at: "value"))
            try options.check(figure, of: subject, args)
            if args.has("to") {
                try Rendering.write(figure, to: try args.string("to"), script: try args.bool("script"))
            } else if let path = try Rendering.show(figure, output: args.write) {
                args.write("figure written to \(path)\n")
            }
            return .object(FigureValue(figure: figure))
        },
        Builtin("plots_dir", "Sets the directory where figures without a file name are written (as --plots DIR does).",
                parameters: [Parameter("dir", .string, "directory (created when needed); \"\" prints text plots again")]) { args in
            let dir = try args.string("dir")
            Rendering.plotsDirectory = dir.isEmpty ? nil : dir
            return .nothing
        },
        Builtin("save", "Writes a value to a file: .npy / .npz (numpy), .csv (tables), or a picture (.png, .svg, .pdf).",
                parameters: [Parameter("x", .any, "Ensemble, Matrix, Table, Net, RBM, Stack, list of numbers, or anything plot draws"),
                             Parameter("to", .string, "the file; its extension picks the format")],
                details: """
                Ensembles: int8 spins of shape (samples, rows, columns); in .npz with beta, T, h, seed arrays and metadata.json.
                Matrices and tables: float64; a list of Matrices of one shape (spectrum(r).images), one (count, rows, columns)
                array, so save spectrum(r) to "s.npz" keeps values and images. Nets: their weight arrays, optimizer moments and metadata.json, reloaded bit-exactly
                by `load` (training the reloaded net continues its optimizer). RBMs and stacks: weights, biases, training state
                (velocities, persistent chains) and metadata.json, reloaded bit-exactly. A Flow's .npz holds one array per step
                (step0, step1, ...), a list of Ensembles one per item (ensemble0, ...); `load` gives them back as a record of
                ensembles without labels. For labels, save one step (save f[2] to "step2.npz") or a table of measurements.
                Every file is written atomically (a temporary file renamed into place).
                """) { args in
            let path = try args.string("to")
            do {
                try save(args.value("x") ?? .nothing, to: path, args)
            } catch is Cancelled {
                // Ctrl-C stops the encoding or the write before the rename: the target is untouched.
                var e = RGSError(.runtime, "interrupted: '\(path)' was not written (a file already there is unchanged)", at: args.callSpan)
                e.isInterrupt = true
                throw e
            }
            return .nothing
        },
        Builtin("load", "Reads a .npy, .npz or .csv file written by rgs or numpy.",
                parameters: [Parameter("file", .string, "the file to read")],
                details: """
                integer arrays (int8, as rgs saves spins, or int16/32/64) of +-1 with a sample axis become Ensembles: (samples, rows, columns) lattices, (samples, sites) chains, so
                one L x L lattice saved by numpy reads as L chains unless saved as a[None] (shape (1, L, L)); other 2-d arrays become
                Matrices, 1-d arrays lists;
                archives saved from an Ensemble, Table or net come back as that value, other archives as a record of arrays.
                """) { args in
            try load(try args.string("file"), args)
        },
    ] }

    /// The default view of any plottable value.
    static func figure(of subject: Value, _ options: PlotOptions, _ args: Arguments, at name: String) throws -> Figure {
        switch subject {
        case .list(let items): return try listFigure(items, options)
        case .range(let r): return try listFigure((0..<r.count).map { .number(r.element($0)) }, options)
        case .object(let o):
            guard let p = o as? Plottable else { break }
            return try p.figure(options)
        default: break
        }
        var hint = "plot draws Ensembles, Tables, Flows, Matrices, nets, RBMs, stacks, Figures and lists of numbers"
        if case .record(let r) = subject, !r.fields.isEmpty {
            // A record of results (spectrum(r), a loaded archive): its fields may plot.
            hint = "plot one of its fields (" + r.fields.prefix(4).map(\.name).joined(separator: ", ")
                + (r.fields.count > 4 ? ", ..." : "") + "), e.g. x.\(r.fields[0].name) for a record x; " + hint
        }
        throw args.error("cannot plot \(withArticle(subject.typeName))", at: name, hint: hint)
    }

    private static func save(_ value: Value, to path: String, _ args: Arguments) throws {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        var isDirectory: ObjCBool = false
        if path.hasSuffix("/") || (FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw args.error("'\(path)' is a directory", at: "to", hint: "give a file name, such as \(path.hasSuffix("/") ? path : path + "/")data.npz")
        }
        switch ext {
        case "png", "svg", "pdf", "gp":
            let options = PlotOptions()
            try Rendering.write(try figure(of: value, options, args, at: "x"), to: path, script: false)
        case "npy":
            let array = try npyArray(value, args)
            try Rendering.createParentDirectory(of: path)
            try array.save(to: path)
        case "npz":
            let archive = try npzArchive(value, args)
            try Rendering.createParentDirectory(of: path)
            try archive.save(to: path)
        case "csv":
            guard let t = value.object(TableValue.self)?.table ?? value.object(MatrixValue.self).map({ matrixTable($0.matrix) }) else {
                throw args.error("CSV files hold Tables and Matrices, not \(withArticle(value.typeName))", at: "x",
                                 hint: value.object(FigureValue.self) != nil ? "save it to .png, .svg or .pdf" : "save it to .npz")
            }
            // A CSV file without a header row reads back as nothing: refuse rather than write it.
            guard !t.columns.isEmpty else {
                throw args.error("the table has no columns: a CSV file of it would have no header row to load", at: "x",
                                 hint: "save it to .npz, which keeps an empty table")
            }
            try Rendering.createParentDirectory(of: path)
            try TableCSV.write(t, to: path)
        default:
            throw args.error(ext.isEmpty ? "'\(path)' has no file extension" : "unknown file type '.\(ext)'", at: "to",
                             hint: "use .npy, .npz, .csv, .png, .svg or .pdf")
        }
    }

    private static func npyArray(_ value: Value, _ args: Arguments) throws -> NpyArray {
        if let e = value.object(EnsembleValue.self) { return try DataFiles.array(e.ensemble) }
        if let m = value.object(MatrixValue.self) { return NpyArray(m.matrix) }
        if let t = value.object(TableValue.self) {
            guard !t.table.columns.contains(where: { $0.errors != nil }) else {
                throw args.error("a .npy file holds one array and would drop this Table's errors", at: "x",
                                 hint: "save it to .npz or .csv, which keep the error columns")
            }
            return NpyArray(tableMatrix(t.table))
        }
        if let xs = numberList(value) { return NpyArray(vector: xs) }
        if case .number(let x) = value { return try NpyArray([x], shape: []) }
        if let rows = numberRows(value) { return NpyArray(rows) }
        if let images = try matrixStack(value) { return images }
        let hint = switch listShape(value) {
        case "": "save it to .npz"
        case raggedRows: "lists of numbers of one length save as a matrix: [[1, 2], [3, 4]]"
        default: "only numbers, lists of numbers and lists of such lists save as arrays"
        }
        throw args.error("a .npy file holds one array of numbers, not \(withArticle(value.typeName))\(listShape(value))", at: "x", hint: hint)
    }

    /// A list of equally long lists of numbers, as a Matrix of those rows.
    private static func numberRows(_ v: Value) -> Matrix? {
        guard case .list(let items) = v, !items.isEmpty else { return nil }
        let rows = items.compactMap(numberList)
        guard rows.count == items.count, let width = rows.first?.count, rows.allSatisfy({ $0.count == width }) else { return nil }
        return Matrix(rows: rows.count, columns: width, storage: rows.flatMap { $0 })
    }

    /// A list of Matrices of one shape (the eigenvector images of `spectrum`) as one float64
    /// array of shape (count, rows, columns).
    private static func matrixStack(_ v: Value) throws -> NpyArray? {
        guard case .list(let items) = v, !items.isEmpty else { return nil }
        let matrices = items.compactMap { $0.object(MatrixValue.self)?.matrix }
        guard matrices.count == items.count, let first = matrices.first,
              matrices.allSatisfy({ $0.rows == first.rows && $0.columns == first.columns }) else { return nil }
        return try NpyArray(matrices.flatMap(\.storage), shape: [matrices.count, first.rows, first.columns])
    }

    private static let raggedRows = " of lists of different lengths"

    /// Why a list is not one array: `raggedRows`, " holding non-numbers"; "" for other values.
    private static func listShape(_ v: Value) -> String {
        guard case .list(let items) = v else { return "" }
        return items.allSatisfy({ numberList($0) != nil }) ? raggedRows : " holding non-numbers"
    }

    private static func npzArchive(_ value: Value, _ args: Arguments) throws -> Npz {
        if let e = value.object(EnsembleValue.self) { return try DataFiles.archive(e.ensemble) }
        if let t = value.object(TableValue.self) {
            var npz = Npz(table: t.table)
            npz.metadata = DataFiles.json(["kind": "table", "title": t.table.title, "labels": t.table.rowLabels])
            return npz
        }
        if let m = value.object(MatrixValue.self) {
            return Npz(arrays: [("matrix", NpyArray(m.matrix))], metadata: DataFiles.json(["kind": "matrix"]))
        }
        if case .object(let o) = value, let a = o as? Archivable { return try a.archive() }
        if case .number(let x) = value { return Npz(arrays: [("value", try NpyArray([x], shape: []))]) }
        if let m = value.object(MeasurementValue.self) {
            return Npz(arrays: [("value", try NpyArray([m.measurement.value], shape: [])),
                                ("error", try NpyArray([m.measurement.error], shape: []))])
        }
        if case .record(let r) = value {
            return Npz(arrays: try r.fields.map { field in
                do { return (field.name, try npyArray(field.value, args)) } catch {
                    throw args.error("the record's field `\(field.name)` is \(withArticle(field.value.typeName))\(listShape(field.value)), which has no array form",
                                     at: "x", hint: "an .npz of a record holds numbers, lists of numbers, Matrices (or lists of one shape), Tables and Ensembles")
                }
            })
        }
        if let xs = numberList(value) { return Npz(arrays: [("values", NpyArray(vector: xs))]) }
        // A flow's steps, or a list of ensembles (hidden_layers), one array each: np.load(f)["step2"].
        if let f = value.object(FlowValue.self) {
            return Npz(arrays: try f.flow.steps.enumerated().map { ("step\($0)", try DataFiles.array($1)) },
                       metadata: DataFiles.json(["kind": "flow", "name": f.flow.name]))
        }
        if case .list(let items) = value, !items.isEmpty {
            let ensembles = items.compactMap { $0.object(EnsembleValue.self)?.ensemble }
            if ensembles.count == items.count {
                return Npz(arrays: try ensembles.enumerated().map { ("ensemble\($0)", try DataFiles.array($1)) })
            }
        }
        if case .list = value {
            throw args.error("cannot save this list to .npz", at: "x",
                             hint: "a list saves when it holds only numbers or only Ensembles; save a record {a: ..., b: ...} for mixed values")
        }
        throw args.error("cannot save \(withArticle(value.typeName)) to .npz", at: "x")
    }

    private static func load(_ path: String, _ args: Arguments) throws -> Value {
        switch try DataFile.load(path) {
        case .table(let t): return .table(t)
        case .array(let a): return try arrayValue(a, file: path)
        case .archive(let npz):
            let meta = try DataFiles.metadata(npz, file: path)
            switch meta["kind"] as? String {
            case "ensemble": return .ensemble(try DataFiles.ensemble(npz, file: path))
            case "table":
                var t = try npz.table(file: path)
                t.title = meta["title"] as? String ?? ""
                if let labels = meta["labels"] as? [String], labels.count == t.rowCount { t.rowLabels = labels }
                return .table(t)
            case "matrix":
                guard let m = npz["matrix"] else { throw CoreError("'\(path)' has no array 'matrix'") }
                return .matrix(try m.matrix())
            default:
                if let v = try ModelFiles.load(npz, meta: meta, file: path) { return v }
                return .record(Record(try npz.arrays.map { ($0.name, try arrayValue($0.array, file: path)) }))
            }
        }
    }

    /// One array as the value it most likely is.
    private static func arrayValue(_ a: NpyArray, file: String) throws -> Value {
        if DataFiles.isSpinArray(a) { return .ensemble(try DataFiles.ensemble(a, file: file)) }
        switch a.shape.count {
        case 0: return a.doubles().first.map(Value.number) ?? .list([])
        case 1: return .list(a.doubles().map(Value.number))
        case 2: return .matrix(try a.matrix())
        default:
            return .ensemble(try DataFiles.ensemble(a, file: file))
        }
    }

    /// The numbers of a list or range of numbers.
    private static func numberList(_ v: Value) -> [Double]? {
        switch v {
        case .range(let r): return (0..<r.count).map(r.element)
        case .list(let items):
            let xs = items.compactMap { if case .number(let x) = $0 { x } else { nil } }
            return xs.count == items.count ? xs : nil
        default: return nil
        }
    }

    private static func tableMatrix(_ t: Table) -> Matrix {
        var m = Matrix(rows: t.rowCount, columns: t.columns.count)
        for (c, column) in t.columns.enumerated() {
            for r in 0..<t.rowCount { m[r, c] = column.values[r] }
        }
        return m
    }

    private static func matrixTable(_ m: Matrix) -> Table {
        Table(columns: (0..<m.columns).map { c in Table.Column("c\(c)", (0..<m.rows).map { m[$0, c] }) })
    }
}
