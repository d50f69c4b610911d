import RGSNets
import RGSNumerics
import RGSPlot

/// How `plot` draws a table whose columns do not belong on one y axis.
///
/// The view travels with the table a builtin returns (`net.history`, `beta_flow(...).table`); a
/// table built from it (a slice, `table({...})`) is plain again. Naming columns with `y:` or
/// asking for a histogram always gives the plain view.
enum TableView {
    /// Every y column on one axis.
    case columns
    /// One panel per group of columns sharing a unit, each with its own y axis: a net's losses
    /// apart from its learning rate, an RBM's monitors each apart.
    case panels([(axis: String, columns: [String])])
    /// The autoencoder's beta flow: beta' (predicted on the outputs) against beta (predicted on
    /// the inputs) with the diagonal beta' = beta, whose crossing is the fixed point.
    case betaFlow

    /// The classes of a table shaped like a classifier's measurement (a `predicted` column and
    /// two or more `p(class)` columns), read from the column names; nil for any other table.
    static func classes(of table: Table) -> [Double]? {
        guard table.column("predicted") != nil else { return nil }
        let classes = table.columns.compactMap { c -> Double? in
            guard c.name.hasPrefix("p("), c.name.hasSuffix(")") else { return nil }
            return Double(c.name.dropFirst(2).dropLast()).flatMap { $0.isFinite ? $0 : nil }
        }
        return classes.count >= 2 && classes.count == table.columns.filter({ $0.name.hasPrefix("p(") }).count ? classes : nil
    }

    /// A net's `history`: losses on one axis, the learning rate on another.
    static let netHistory = TableView.panels([("loss", ["train", "validation"]), ("learning rate", ["lr"])])

    /// An RBM's monitors: each in its own units.
    static let rbmMonitors = TableView.panels([
        ("reconstruction error", ["reconstruction"]), ("pseudo-likelihood", ["pseudo_likelihood"]),
        ("free energy gap", ["free_energy_gap"]),
    ])
}

extension TableValue: Plottable {
    func figure(_ options: PlotOptions) throws -> Figure {
        guard options.y.isEmpty, !options.histogram else { return try columnsFigure(options) }
        switch view {
        case .columns:
            // A classifier's measurement (also saved and loaded again) says so by its columns:
            // each row's probability over the classes, the long-range paper's histograms.
            if let classes = TableView.classes(of: table) { return try distributionFigure(classes, options) }
            return try columnsFigure(options)
        case .panels(let groups): return try panelsFigure(groups, options)
        case .betaFlow: return try betaFlowFigure(options)
        }
    }

    /// One panel per group of columns present in the table, the table's title over them all.
    private func panelsFigure(_ groups: [(axis: String, columns: [String])], _ options: PlotOptions) throws -> Figure {
        let panels = try groups.compactMap { group -> Panel? in
            var columns = options
            columns.y = group.columns.filter { table.column($0) != nil }
            guard !columns.y.isEmpty else { return nil }
            var panel = try columnsFigure(columns).panels[0]
            panel.title = ""
            panel.yLabel = group.axis
            return panel
        }
        guard !panels.isEmpty else { return try columnsFigure(options) }
        return Figure(title: table.title, panels: panels)
    }
}

extension TableValue {
    /// beta' against the inputs' predicted beta with the diagonal, the fixed point in the title;
    /// `x: "beta"` plots both predictions against the label beta instead.
    private func betaFlowFigure(_ options: PlotOptions) throws -> Figure {
        guard let input = table.column("input"), let output = table.column("output"), options.x != "beta" || table.column("beta") != nil
        else { return try columnsFigure(options) }
        var panel: Panel
        switch options.x {
        case nil, "input":
            panel = Panel(xLabel: "beta (predicted on the inputs)", yLabel: "beta' (predicted on the AE outputs)", items: [
                .series(Series("AE outputs", x: input.values, y: output.values, errors: output.errors, style: options.style)),
            ])
        case "beta":
            var columns = options
            columns.y = ["input", "output"]
            panel = try columnsFigure(columns).panels[0]
            panel.xLabel = "beta (label)"
            panel.yLabel = "predicted beta"
        default:
            return try columnsFigure(options)
        }
        let xs = panel.items.flatMap { item -> [Double] in if case .series(let s) = item { s.x.filter(\.isFinite) } else { [] } }
        if let low = xs.min(), let high = xs.max() {
            panel.items.append(.series(Series("beta' = beta", x: [low, high], y: [low, high], style: .lines)))
        }
        panel.legend = true
        let fixedPoint = BetaFlow.crossing(x: input.values, y: output.values).map { ", fixed point \(compactNumber($0))" } ?? ""
        panel.title = table.title + fixedPoint
        return Figure(panel)
    }
}

extension TableValue {
    /// One curve p(class) per row, named by its step and label; then the mean prediction against
    /// the label or step, when the table has more than one row.
    private func distributionFigure(_ classes: [Double], _ options: PlotOptions) throws -> Figure {
        let t = table
        let probabilities = t.columns.filter { $0.name.hasPrefix("p(") }
        guard t.rowCount > 0, probabilities.count == classes.count else { return try columnsFigure(options) }
        let quantity = t.columns.first { ["beta", "temperature", "field"].contains($0.name) }
        let items = (0..<t.rowCount).map { r -> PlotItem in
            let step = t.column("step").map { "step \(compactNumber($0.values[r]))" }
            let label = quantity.map { "\($0.name) \(compactNumber($0.values[r]))" }
            return .series(Series([step, label].compactMap { $0 }.joined(separator: ", "), x: classes,
                                  y: probabilities.map { $0.values[r] }, style: options.style))
        }
        let name = quantity?.name ?? "class"
        var distribution = Panel(title: "probability over the classes", xLabel: name, yLabel: "p(\(name))", legend: true, items: items)
        distribution.yFromZero = true
        var panels = [distribution]
        if t.rowCount > 1 {
            var mean = options
            mean.y = ["predicted"]
            var panel = try columnsFigure(mean).panels[0]
            panel.title = "mean prediction"
            panels.append(panel)
        }
        return Figure(title: t.title, panels: panels)
    }
}
