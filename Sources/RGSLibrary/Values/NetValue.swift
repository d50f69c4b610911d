import RGSIO
import RGSLanguage
import RGSNets
import RGSNumerics
import RGSPhysics
import RGSPlot

/// A feed-forward net in the language. `ae(...)`, `regressor(...)` and `classifier(...)` give an
/// untrained recipe whose sizes come from the data at `train`; `shallow`, `hardcoded`, `compose`
/// and `train` give built nets. `net.history` is the loss per epoch, `net.loss` that of the
/// weights the net holds (the last epoch's, or the best one's after early stopping).
struct NetValue: HostObject, Plottable, Archivable {
    /// What an untrained recipe builds once the input width is known.
    enum Recipe {
        case autoencoder(sizes: [Int]?, activation: Activation, bias: Bool, l1: Float, l2: Float, loss: Loss, optimizer: Optimizer)
        case regressor(target: LabelTarget, hidden: [Int], activation: Activation, output: Activation, optimizer: Optimizer)
        case classifier(target: LabelTarget, hidden: [Int], activation: Activation, optimizer: Optimizer)
    }

    let network: Network?
    let recipe: Recipe?

    init(_ network: Network) {
        self.network = network
        self.recipe = nil
    }

    init(recipe: Recipe) {
        self.network = nil
        self.recipe = recipe
    }

    var kindName: String { "Net" }
    var summary: String {
        guard let net = network else { return "Net \(recipeName) (untrained; sizes from the data at `train`)" }
        var text = "Net \(net.summary)"
        let h = net.history
        if let loss = h.kept.train {
            text += ", \(counted(h.train.count, "epoch")), loss \(compactNumber(loss))"
            if let v = h.kept.validation { text += " (validation \(compactNumber(v)))" }
            if let e = h.keptEpoch, e != h.train.count { text += " at epoch \(e), the best" }
            if h.rateScale != 1 { text += ", lr now \(compactNumber(decimal(net.optimizer.learningRate * Float(h.rateScale))))" }
        }
        return text
    }

    var recipeName: String {
        switch recipe {
        case .autoencoder: "ae"
        case .regressor(let t, _, _, _, _): "regressor(target: \(t.rawValue))"
        case .classifier(let t, _, _, _): "classifier(target: \(t.rawValue))"
        case nil: "net"
        }
    }

    var memberNames: [String] { ["sizes", "layers", "loss", "val_loss", "history", "partial", "trained"] }
    func member(_ name: String) -> Value? {
        switch name {
        case "trained": return .bool(network != nil)
        default: break
        }
        guard let net = network else { return nil }
        switch name {
        case "sizes": return .list(net.sizes.map { .number(Double($0)) })
        case "layers": return .number(Double(net.layers.count))
        case "loss": return net.history.kept.train.map(Value.number)
        case "val_loss": return net.history.kept.validation.map(Value.number)
        case "history":
            let h = net.history
            var columns = [Table.Column("epoch", h.train.indices.map { Double($0 + 1) }), Table.Column("train", h.train)]
            if h.validation.count == h.train.count, !h.validation.isEmpty { columns.append(Table.Column("validation", h.validation)) }
            if h.learningRates.count == h.train.count { columns.append(Table.Column("lr", h.learningRates)) }
            return .object(TableValue(table: Table(title: "loss per epoch", columns: columns), view: .netHistory))
        case "partial": return .bool(net.isPartial)
        default: return nil
        }
    }

    func missingMember(_ name: String) -> (message: String, hint: String?) {
        if network == nil { return untrainedMember(name, of: recipeName) }
        if name == "val_loss" { return ("this net has no 'val_loss'", "it was trained without a validation split (train ... validation: 0.1)") }
        return ("this net has no '\(name)'", nil)
    }

    /// The net, or an error saying it must be trained first.
    func built(_ args: Arguments, _ name: String) throws -> Network {
        guard let net = network else {
            throw args.error("this \(recipeName) is not trained yet", at: name, hint: "train it first: let net = train \(recipeName) on data")
        }
        return net
    }

    func figure(_ options: PlotOptions) throws -> Figure {
        guard let net = network else { throw CoreError("an untrained net has no weights to plot") }
        let panels = try net.layers.indices.map { k in
            Panel(title: "layer \(k) weights \(net.layers[k].inputs)x\(net.layers[k].outputs)", xLabel: "output", yLabel: "input",
                  legend: false, items: [.heatmap(Heatmap(try net.weights(layer: k), symmetric: true))])
        }
        return Figure(title: "Net " + net.sizes.map(String.init).joined(separator: "-"), panels: panels)
    }

    func archive() throws -> Npz {
        guard let net = network else { throw CoreError("an untrained net has nothing to save", hint: "train it first") }
        return try ModelFiles.archive(net.parameters(), metadata: net.metadataJSON)
    }
}

/// Input/target ensembles for the shallow nets: `pairs(data, decimate(data))`.
struct PairsValue: HostObject {
    let pairs: TrainingPairs
    var kindName: String { "Pairs" }
    var summary: String { "Pairs \(pairs.input.count) × (\(pairs.input.siteCount) -> \(pairs.target.siteCount))" }
}

/// Named float32 parameter arrays and metadata in .npz archives, for nets and RBMs alike.
enum ModelFiles {
    static func archive(_ parameters: [NamedParameter], metadata: String) throws -> Npz {
        Npz(arrays: try parameters.map { p in (p.name, try NpyArray(p.values, shape: p.shape)) }, metadata: metadata)
    }

    /// The parameter arrays of an archive (float32 expected, anything numeric converted).
    static func parameters(_ npz: Npz) -> [NamedParameter] {
        npz.arrays.map { ($0.name, $0.array.shape, $0.array.values(as: Float.self) ?? $0.array.doubles().map(Float.init)) }
    }

    /// The net, RBM or stack an archive holds (by its metadata), or nil for other archives.
    static func load(_ npz: Npz, meta: [String: Any], file: String) throws -> Value? {
        guard let json = npz.metadata else { return nil }
        do {
            if meta["format"] as? String == "rgs-net" {
                return .object(NetValue(try Network(parameters: parameters(npz), metadataJSON: json)))
            }
            switch meta["kind"] as? String {
            case "rbm": return .object(RBMValue(try RBM(parameters: parameters(npz), metadataJSON: json)))
            case "rbm_stack": return .object(StackValue(try RBMStack(parameters: parameters(npz), metadataJSON: json)))
            default: return nil
            }
        } catch {
            throw CoreError("cannot load '\(file)': \(error.message)", hint: error.hint)
        }
    }
}

/// Why an untrained recipe (`ae().sizes`, `rbm(hidden: 4).visible`) has no value for a member.
func untrainedMember(_ name: String, of recipe: String) -> (message: String, hint: String?) {
    ("this \(recipe) has no '\(name)' yet", "an untrained recipe has no sizes, weights or losses: train it first")
}
