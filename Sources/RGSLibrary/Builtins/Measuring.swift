import RGSLanguage
import RGSNumerics
import RGSPhysics

/// How every observable reaches the language: one function from an ensemble to a per-label Table,
/// lifted to Ensembles (a number with error when there is one label, else the table) and to Flows
/// (one block of rows per step, with a `step` column).
struct Measuring {
    /// The observable: an ensemble to a table whose rows are its (beta, h) groups or similar.
    let measure: (Ensemble) throws -> Table
    /// The column that becomes a single number for a one-label ensemble; nil keeps the table
    /// (correlation functions have several rows per label).
    var valueColumn: String? = "value"

    /// Applies the observable to an Ensemble or Flow argument.
    func value(of subject: Value, _ args: Arguments, at name: String) throws -> Value {
        if let e = subject.object(EnsembleValue.self) {
            let table = Self.tidy(try measure(e.ensemble))
            if table.rowCount == 1, let name = valueColumn, let value = table.column(name) {
                // The title's notes (after "; ") would go with the table: they go to stderr.
                Notice.write(table.title.components(separatedBy: "; ").dropFirst())
                return .measurement(Measurement(value.values[0], error: value.errors?[0] ?? 0))
            }
            return .table(table)
        }
        if let f = subject.object(FlowValue.self) {
            return .table(try perStep(f.flow))
        }
        throw args.error("expected an Ensemble or a Flow, got \(withArticle(subject.typeName))", at: name)
    }

    /// The observable at every step of a flow, stacked, with the step number as first column.
    /// A step where the observable is undefined (e.g. a scaling fit on an ordered lattice) gets
    /// NaN values and a note in the table's title giving the steps and the reason, unless every
    /// step fails.
    func perStep(_ flow: Flow) throws -> Table {
        var results: [Result<Table, CoreError>] = []
        for ensemble in flow.steps {
            try Cancellation.check()
            do { results.append(.success(try measure(ensemble))) } catch let e as CoreError { results.append(.failure(e)) }
        }
        guard let template = results.compactMap({ try? $0.get() }).first else {
            if case .failure(let e)? = results.first { throw e }
            return Table(title: flow.title, columns: [])
        }
        var failures: [(reason: String, steps: [Int])] = []
        let blocks = results.enumerated().map { step, result -> Table in
            switch result {
            case .success(let t):
                return t
            case .failure(let error):
                if let k = failures.firstIndex(where: { $0.reason == error.message }) {
                    failures[k].steps.append(step)
                } else {
                    failures.append((error.message, [step]))
                }
                return Self.undefined(like: template, groups: flow.steps[step].labelGroups())
            }
        }
        var table = Self.tidy(Self.stack(blocks, key: "step", title: flow.title))
        table.title += failures.map { "; nan at \($0.steps.count == 1 ? "step" : "steps") "
            + "\($0.steps.map(String.init).joined(separator: ", ")): \($0.reason)" }.joined()
        return table
    }

    /// NaN rows shaped like a table's, one per (beta, h) group of the step's samples (one when
    /// it has none), whose label columns beta, T and h keep the group's labels.
    private static func undefined(like t: Table, groups: [LabelGroup]) -> Table {
        let rows = groups.isEmpty ? [nil] : groups.map { Optional($0) }
        func label(_ name: String, _ group: LabelGroup?) -> Double {
            switch name {
            case "beta": group?.beta ?? .nan
            case "T": group?.temperature ?? .nan
            case "h": group?.h ?? .nan
            default: .nan
            }
        }
        return Table(title: t.title, columns: t.columns.map { c in
            Table.Column(c.name, rows.map { label(c.name, $0) }, errors: c.errors == nil ? nil : rows.map { _ in .nan })
        })
    }

    /// Tables with the same columns, one after another, with a leading `key` column holding each
    /// table's index, titled by the first table's name and the notes of all.
    static func stack(_ tables: [Table], key: String, title: String) -> Table {
        guard let first = tables.first else { return Table(title: title, columns: []) }
        var keys: [Double] = []
        var columns = first.columns.map { Table.Column($0.name, [], errors: $0.errors == nil ? nil : []) }
        var labels: [String] = []
        for (k, t) in tables.enumerated() {
            keys += Array(repeating: Double(k), count: t.rowCount)
            labels += t.rowLabels
            for (i, c) in t.columns.enumerated() where i < columns.count {
                columns[i].values += c.values
                if columns[i].errors != nil { columns[i].errors! += c.errors ?? Array(repeating: 0, count: c.values.count) }
            }
        }
        // Titles are a name and notes after "; " (a thermometer's nan); every table's notes are kept.
        let titles = tables.map { $0.title.components(separatedBy: "; ") }
        var notes: [String] = []
        for note in titles.flatMap({ $0.dropFirst() }) where !notes.contains(note) { notes.append(note) }
        let base = titles[0][0]
        let name = ([base.isEmpty ? title : "\(base) along \(title)"] + notes).joined(separator: "; ")
        return Table(title: name, columns: [Table.Column(key, keys)] + columns,
                     rowLabels: labels.count == keys.count ? labels : [])
    }

    /// Drops label columns that carry no information (an all-zero field).
    static func tidy(_ table: Table) -> Table {
        var t = table
        t.columns.removeAll { $0.name == "h" && $0.values.allSatisfy { $0 == 0 } }
        return t
    }
}
