import RGSLanguage
import RGSNumerics
import RGSPhysics
import RGSPlot

/// `plot X` for each value kind: Ensemble -> snapshot grid, Table -> lines with error bars,
/// Flow -> |m| and e per step, Matrix -> heatmap.
extension EnsembleValue: Plottable {
    func figure(_ options: PlotOptions) throws -> Figure {
        let e = ensemble
        guard e.count > 0 else { throw CoreError("the ensemble is empty: nothing to plot") }
        if e.shape.count == 1 {
            // Chains: one image, a row per sample.
            let shown = shownSamples(e, count: min(e.count, options.count ?? 32))
            let values = shown.samples.flatMap { e.sample($0).map(Double.init) }
            // Rows come label by label: name each label once.
            var names = shown.samples.map { labelText(e.labels[$0]) }.reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
            if names.count > 4 { names = [names[0], "...", names[names.count - 1]] }
            return Figure(title: summary + shown.note, Panel(title: names.joined(separator: ", "), legend: false, items: [
                .snapshot(Snapshot(rows: shown.samples.count, columns: e.siteCount, values: values)),
            ]))
        }
        let shown = shownSamples(e, count: options.count ?? 4)
        return Figure.snapshots(title: e.shapeDescription + shown.note, shown.samples.map { i in
            (title: labelText(e.labels[i]), snapshot: snapshot(e, i))
        })
    }
}

/// Which samples a picture of `e` shows: `count` spread over its (beta, h) labels, so an ensemble
/// over several temperatures shows each one (evenly chosen ones when there are more labels than
/// pictures), ordered by label. `note` says how many labels were left out.
func shownSamples(_ e: Ensemble, count: Int) -> (samples: [Int], note: String) {
    let groups = e.labelGroups()
    let chosen = groups.count <= count ? groups
        : (0..<count).map { groups[count == 1 ? 0 : $0 * (groups.count - 1) / (count - 1)] }
    var picks = [[Int]](repeating: [], count: chosen.count)
    var taken = 0, depth = 0
    while taken < min(count, e.count) {
        for g in chosen.indices where depth < chosen[g].samples.count && taken < count {
            picks[g].append(chosen[g].samples[depth])
            taken += 1
        }
        depth += 1
    }
    let labels = Set(groups.map(\.h)).count == 1 ? "temperatures" : "(beta, h) labels"
    let note = groups.count > count ? ", \(count) of \(groups.count) \(labels) shown" : ""
    return (picks.flatMap { $0 }, note)
}

/// One lattice of an ensemble as an image.
func snapshot(_ e: Ensemble, _ i: Int) -> Snapshot {
    let rows = e.shape.count == 2 ? e.shape[0] : 1
    return Snapshot(rows: rows, columns: e.siteCount / max(rows, 1), values: e.sample(i).map(Double.init))
}

/// "beta 0.44" / "T 0" for a sample label.
func labelText(_ label: SampleLabel) -> String {
    if label.beta.isNaN { return label.model }
    let field = label.h == 0 ? "" : " h \(compactNumber(label.h))"
    return (label.beta.isInfinite ? "T 0" : "beta \(compactNumber(label.beta))") + field
}

extension TableValue {
    /// Columns that label rows rather than measure something.
    static let labelColumns: Set<String> = ["step", "beta", "T", "h", "L", "r", "epoch", "rmin", "rmax", "points", "L1", "L2",
                                            "temperature", "field"]

    /// Every y column on one axis: the view of plain tables, and of any table when `y:` names columns.
    func columnsFigure(_ options: PlotOptions) throws -> Figure {
        let t = table
        guard t.rowCount > 0 else { throw CoreError("the table is empty: nothing to plot") }
        let names = t.columns.map(\.name)
        let xName = try options.x.map { x in
            guard names.contains(x) else {
                throw CoreError("the table has no column '\(x)'", hint: "columns: " + names.joined(separator: ", "), argument: "x")
            }
            return x
        } ?? ["r", "step", "epoch", "T", "L", "beta", "temperature", "field", "h"].first { n in
            t.column(n).map { Set($0.values).count > 1 } ?? false
        }
        var yNames = options.y
        for y in yNames where !names.contains(y) {
            throw CoreError("the table has no column '\(y)'", hint: "columns: " + names.joined(separator: ", "), argument: "y")
        }
        if yNames.isEmpty {
            yNames = t.columns.filter { $0.errors != nil && $0.name != xName }.map(\.name)
            if yNames.isEmpty { yNames = names.filter { !Self.labelColumns.contains($0) && $0 != xName } }
        }
        guard !yNames.isEmpty else { throw CoreError("no column to plot", hint: "choose one with y: \"name\"") }
        let xs = xName.flatMap { t.column($0)?.values } ?? (0..<t.rowCount).map(Double.init)
        // Rows split into series by the label columns that vary (T is redundant with beta; a
        // prediction table labels its rows by the predicted quantity: beta, temperature, field).
        // Of beta and T the one that reads as typed names the series.
        let temperatureAxis = xName == "T" || xName == "beta"
        var temperature = t.column("T") == nil ? "beta" : "T"
        if let betas = t.column("beta")?.values, let temperatures = t.column("T")?.values,
           labelsReadAsBeta(betas: betas, temperatures: temperatures) { temperature = "beta" }
        let labels = ["step", temperature, "h", "L", "temperature", "field"]
        let groupNames = labels.filter { n in
            n != xName && !(temperatureAxis && n == temperature) && (t.column(n).map { Set($0.values).count > 1 } ?? false)
        } + (t.rowLabels.isEmpty || xName == nil ? [] : ["label"])
        var order: [String] = []
        var rowsOf: [String: [Int]] = [:]
        for r in 0..<t.rowCount {
            let key = groupNames.map { n in
                n == "label" ? t.rowLabels[r] : "\(n)=\(compactNumber(t.column(n)?.values[r] ?? 0))"
            }.joined(separator: " ")
            if rowsOf[key] == nil { order.append(key) }
            rowsOf[key, default: []].append(r)
        }
        var items: [PlotItem] = []
        for y in yNames {
            guard let column = t.column(y) else { continue }
            for key in order {
                let rows = rowsOf[key] ?? []
                let name = [yNames.count > 1 ? y : "", key].filter { !$0.isEmpty }.joined(separator: " ")
                if options.histogram {
                    items.append(.histogram(Histogram(name, values: rows.map { column.values[$0] })))
                } else {
                    items.append(.series(Series(name, x: rows.map { xs[$0] }, y: rows.map { column.values[$0] },
                                                errors: column.errors.map { e in rows.map { e[$0] } }, style: options.style)))
                }
            }
        }
        let panel = Panel(title: t.title, xLabel: options.histogram ? yNames.joined(separator: ", ") : (xName ?? "row"),
                          yLabel: options.histogram ? "count" : yLabel(yNames),
                          legend: items.count > 1 || !(order.first ?? "").isEmpty, items: items)
        return Figure(panel)
    }

    /// The y axis of `columns`: a measurement's generic `value` column is named by the table's title
    /// ("absolute magnetization") up to its details, which the panel title keeps ("temperature from
    /// the energy (exact finite-lattice Ising) along rbm" ran off the picture as a y label).
    private func yLabel(_ columns: [String]) -> String {
        guard columns == ["value"], !table.title.isEmpty else { return columns.joined(separator: ", ") }
        var label = Substring(table.title)
        for cut in ["; ", " along ", " ("] {
            if let r = label.range(of: cut) { label = label[..<r.lowerBound] }
        }
        return String(label)
    }
}

extension FlowValue: Plottable {
    func figure(_ options: PlotOptions) throws -> Figure {
        let views: [(ThermodynamicObservable, String)] = [(.absoluteMagnetization, "<|m|>"), (.energy, "e")]
        let panels = try views.map { observable, label -> Panel in
            let table = try Measuring(measure: { try $0.thermodynamics(observable) }).perStep(flow)
            var panel = try TableValue(table: table).figure(options).panels[0]
            panel.title = "\(label) along \(flow.title)"
            panel.yLabel = label
            return panel
        }
        return Figure(title: "Flow '\(flow.title)'", panels: panels)
    }
}

extension MatrixValue: Plottable {
    func figure(_ options: PlotOptions) throws -> Figure {
        let m = matrix
        guard m.rows > 0, m.columns > 0 else { throw CoreError("the matrix is empty: nothing to plot") }
        let signed = isSigned || (m.storage.min() ?? 0) < 0 && (m.storage.max() ?? 0) > 0
        return Figure(Panel(title: title ?? "Matrix \(m.shapeDescription)", xLabel: "column", yLabel: "row", legend: false,
                            items: [.heatmap(Heatmap(m, symmetric: signed))]))
    }
}

extension FigureValue: Plottable {
    func figure(_ options: PlotOptions) throws -> Figure { figure }
}

/// The picture of a list: Figures side by side, the first lattice of each Ensemble side by side
/// (input / output / decimated), or numbers against their index.
func listFigure(_ items: [Value], _ options: PlotOptions) throws -> Figure {
    if !items.isEmpty, items.allSatisfy({ $0.object(EnsembleValue.self) != nil }) {
        let shown = items.compactMap { $0.object(EnsembleValue.self)?.ensemble }.filter { $0.count > 0 }.map { e in
            (title: e.labels[0].model, snapshot: snapshot(e, 0))
        }
        return Figure.snapshots(shown)
    }
    if !items.isEmpty, items.allSatisfy({ if case .number = $0 { true } else { false } }) {
        let ys = items.compactMap { if case .number(let x) = $0 { x } else { nil } }
        return Figure(Panel(xLabel: "index", legend: false,
                            items: [.series(Series(x: ys.indices.map(Double.init), y: ys, style: options.style))]))
    }
    var panels: [Panel] = []
    for item in items {
        guard case .object(let o) = item, let p = o as? Plottable else {
            throw CoreError("cannot plot a list holding \(withArticle(item.typeName))", hint: "plot Figures, Tables, Ensembles, Matrices or numbers")
        }
        panels += try p.figure(options).panels
    }
    guard !panels.isEmpty else { throw CoreError("the list is empty: nothing to plot") }
    return Figure(panels: panels)
}
