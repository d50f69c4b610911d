import RGSIO
import RGSLanguage
import RGSNets
import RGSNumerics
import RGSPlot

/// An RBM in the language: `rbm(hidden: 64, ...)` is a recipe (sizes and training settings),
/// `train` returns the trained machine; `r.history` holds the per-epoch monitors.
struct RBMValue: HostObject, Plottable, Archivable {
    /// The recipe: hidden units, unit type and the training settings (epochs, batch and seed
    /// are filled in by `train`).
    struct Recipe {
        var hidden: Int
        var units: RBMUnits
        var options: RBMTrainingOptions
    }

    let rbm: RBM?
    let recipe: Recipe

    init(_ rbm: RBM, recipe: Recipe? = nil) {
        self.rbm = rbm
        self.recipe = recipe ?? Recipe(hidden: rbm.hiddenCount, units: rbm.units, options: rbm.trainingOptions ?? RBMTrainingOptions())
    }

    init(recipe: Recipe) {
        self.rbm = nil
        self.recipe = recipe
    }

    var kindName: String { "RBM" }
    var summary: String {
        guard let r = rbm else { return "RBM \(recipe.hidden) hidden \(recipe.units.rawValue) units (untrained)" }
        var text = "RBM \(r.visibleCount) -> \(r.hiddenCount) \(r.units.rawValue), \(counted(r.epochsTrained, "epoch"))"
        if let o = r.trainingOptions { text += ", " + Self.describe(o) }
        if let last = r.history.last { text += ", reconstruction error \(compactNumber(last.reconstructionError))" }
        return text + (r.isPartial ? " (partial)" : "")
    }

    /// `CD-1, lr 0.01, l1 0.002`: what tells two runs apart (penalties only when set).
    static func describe(_ o: RBMTrainingOptions) -> String {
        var parts = ["\(o.persistent ? "PCD" : "CD")-\(o.k)", "lr \(compactNumber(decimal(o.learningRate)))"]
        if o.l1 > 0 { parts.append("l1 \(compactNumber(decimal(o.l1)))") }
        if o.l2 > 0 { parts.append("l2 \(compactNumber(decimal(o.l2)))") }
        return parts.joined(separator: ", ")
    }

    var memberNames: [String] { ["visible", "hidden", "units", "epochs", "history", "partial", "trained", "visible_bias", "hidden_bias"] }
    func member(_ name: String) -> Value? {
        if name == "trained" { return .bool(rbm != nil) }
        if name == "hidden" { return .number(Double(rbm?.hiddenCount ?? recipe.hidden)) }
        if name == "units" { return .string((rbm?.units ?? recipe.units).rawValue) }
        guard let r = rbm else { return nil }
        switch name {
        case "visible": return .number(Double(r.visibleCount))
        case "epochs": return .number(Double(r.epochsTrained))
        case "partial": return .bool(r.isPartial)
        case "visible_bias": return .list(r.visibleBias.map { .number(Double($0)) })
        case "hidden_bias": return .list(r.hiddenBias.map { .number(Double($0)) })
        case "history":
            let h = r.history
            var columns = [Table.Column("epoch", h.map { Double($0.epoch) }),
                           Table.Column("reconstruction", h.map(\.reconstructionError)),
                           Table.Column("pseudo_likelihood", h.map(\.pseudoLikelihood))]
            if h.allSatisfy({ $0.freeEnergyGap != nil }), !h.isEmpty {
                columns.append(Table.Column("free_energy_gap", h.map { $0.freeEnergyGap ?? 0 }))
            }
            return .object(TableValue(table: Table(title: "RBM monitors", columns: columns), view: .rbmMonitors))
        default: return nil
        }
    }

    func missingMember(_ name: String) -> (message: String, hint: String?) {
        rbm == nil ? untrainedMember(name, of: kindName) : ("this RBM has no '\(name)'", nil)
    }

    func built(_ args: Arguments, _ name: String) throws -> RBM {
        guard let r = rbm else {
            throw args.error("this RBM is not trained yet", at: name, hint: "train it first: let r = train rbm(hidden: 64) on data")
        }
        return r
    }

    /// Receptive fields of the first hidden units as lattice images.
    func figure(_ options: PlotOptions) throws -> Figure {
        guard let r = rbm else { throw CoreError("an untrained RBM has no weights to plot") }
        guard r.visibleShape.count == 2 else {
            let w = Matrix(rows: r.visibleCount, columns: r.hiddenCount, floats: r.weights)
            return Figure(Panel(title: "weights", xLabel: "hidden", yLabel: "visible", legend: false,
                                items: [.heatmap(Heatmap(w, symmetric: true))]))
        }
        let shown = min(r.hiddenCount, options.count ?? 16)
        let panels = try (0..<shown).map { a in
            Panel(title: "h\(a)", legend: false, items: [.heatmap(Heatmap(try r.receptiveField(a), symmetric: true))])
        }
        return Figure(title: "receptive fields", panels: panels)
    }

    func archive() throws -> Npz {
        guard let r = rbm else { throw CoreError("an untrained RBM has nothing to save", hint: "train it first") }
        return try ModelFiles.archive(r.parameters(), metadata: r.metadataJSON)
    }
}

/// Stacked RBMs: `stack(rbm(hidden: 1024), rbm(hidden: 256))`, trained greedily by `train`.
struct StackValue: HostObject, Plottable, Archivable {
    let stack: RBMStack?
    let recipes: [RBMValue.Recipe]
    let propagation: RBMPropagation

    /// A trained stack; `recipes` (default: each layer's sizes, units and latest training options)
    /// are what further training uses.
    init(_ stack: RBMStack, recipes: [RBMValue.Recipe]? = nil) {
        self.stack = stack
        self.recipes = recipes
            ?? stack.layers.map { RBMValue.Recipe(hidden: $0.hiddenCount, units: $0.units, options: $0.trainingOptions ?? RBMTrainingOptions()) }
            + stack.untrainedLayers.map { RBMValue.Recipe(hidden: $0.hidden, units: $0.units, options: $0.options) }
        self.propagation = stack.propagation
    }

    init(recipes: [RBMValue.Recipe], propagation: RBMPropagation) {
        self.stack = nil
        self.recipes = recipes
        self.propagation = propagation
    }

    var kindName: String { "Stack" }
    var summary: String {
        let sizes = recipes.map { String($0.hidden) }.joined(separator: " -> ")
        guard let s = stack else { return "Stack of RBMs -> \(sizes) (untrained)" }
        let visible = s.layers.first.map { String($0.visibleCount) } ?? "?"
        let trained = s.layers.map { String($0.hiddenCount) }.joined(separator: " -> ")
        let partial = s.layers.count < recipes.count ? " (partial: \(s.layers.count) of \(recipes.count) layers trained)"
            : s.isPartial ? " (partial)" : ""
        return "Stack of \(counted(s.layers.count, "RBM")) \(visible) -> \(trained), \(propagation.rawValue) propagation" + partial
    }
    var memberNames: [String] { ["visible", "hidden", "units", "layers", "partial", "trained"] }
    func member(_ name: String) -> Value? {
        switch name {
        case "trained": return .bool(stack != nil)
        case "hidden": return .list(recipes.map { .number(Double($0.hidden)) })
        case "units": return .list(recipes.map { .string($0.units.rawValue) })
        default: break
        }
        guard let s = stack else { return nil }
        switch name {
        case "visible": return .number(Double(s.layers.first?.visibleCount ?? 0))
        case "layers": return .number(Double(s.layers.count))
        // Interrupted, or trained before some of the recipe's layers.
        case "partial": return .bool(s.isPartial || s.layers.count < recipes.count)
        default: return nil
        }
    }

    func missingMember(_ name: String) -> (message: String, hint: String?) {
        stack == nil ? untrainedMember(name, of: kindName) : ("this stack has no '\(name)'", nil)
    }

    var length: Int? { stack?.layers.count }
    func element(at index: Int) -> Value? { stack.map { .object(RBMValue($0.layers[index])) } }

    /// Every layer's W (visible x hidden) as a heatmap, bottom layer first, as `plot net` draws a
    /// net's layers; `plot s[0]` draws one layer's receptive fields.
    func figure(_ options: PlotOptions) throws -> Figure {
        guard let s = stack else { throw CoreError("an untrained stack has no weights to plot") }
        let panels = s.layers.enumerated().map { l, r in
            Panel(title: "layer \(l) weights \(r.visibleCount)x\(r.hiddenCount)", xLabel: "hidden", yLabel: "visible", legend: false,
                  items: [.heatmap(Heatmap(Matrix(rows: r.visibleCount, columns: r.hiddenCount, floats: r.weights), symmetric: true))])
        }
        return Figure(title: "Stack " + ([s.layers[0].visibleCount] + s.layers.map(\.hiddenCount)).map(String.init).joined(separator: " -> "),
                      panels: panels)
    }

    func archive() throws -> Npz {
        guard let s = stack else { throw CoreError("an untrained stack has nothing to save", hint: "train it first") }
        return try ModelFiles.archive(s.parameters(), metadata: s.metadataJSON)
    }
}
