import RGSLanguage
import RGSNets
import RGSNumerics
import RGSPhysics

/// Feed-forward nets: autoencoders, shallow and hard-coded coarse-grainers, transfer learning,
/// supervised beta/T/h nets, and their inspection.
enum NetBuiltins {
    static var builtins: [Builtin] { [
        Builtin("ae", "An autoencoder recipe; the default for N inputs is the autoencoder paper's Model-1 [N, N/2, N/4, N/2, N].",
                parameters: [Parameter("layers", .list, optional: true, "layer widths from input to output (default [N, N/2, N/4, N/2, N])")]
                    + layerOptions(activation: "linear", bias: false, l1: decimal(Network.defaultAutoencoderL1), loss: "hinge"),
                aliases: ["autoencoder"],
                details: "Naming the trained net `ae` (`let ae = ...`) would hide this recipe for the session.\n"
                    + "Example: let net = train ae on data epochs: 50 batch: 10 validation: 0.2") { args in
            let sizes = try args.value("layers").map { _ in try intList(args, "layers") }
            // Checked here, at the argument, rather than when `train` builds the net for the data.
            if let s = sizes {
                guard s.count >= 2, s.allSatisfy({ $0 > 0 }) else {
                    throw args.error("an autoencoder needs at least an input and an output size, all positive (got \(s))", at: "layers",
                                     hint: "e.g. layers: [64, 16, 64] for 8x8 lattices")
                }
                guard s.first == s.last else {
                    throw args.error("an autoencoder's output size must equal its input size (got \(s[0]) and \(s[s.count - 1]))", at: "layers")
                }
            }
            return .object(NetValue(recipe: .autoencoder(sizes: sizes, activation: try activation(args), bias: try args.bool("bias"),
                                                         l1: try float(args, "l1"), l2: try float(args, "l2"),
                                                         loss: try loss(args), optimizer: try optimizer(args))))
        },
        Builtin("shallow", "A one-layer net from `from` to `to` values: the paper's CG (coarse-graining) and UP (up-scaling) nets.",
                parameters: [Parameter("from", .integer, unit: "values", "input width"),
                             Parameter("to", .integer, unit: "values", "output width"),
                             Parameter("seed", .integer, optional: true, "initial weights' seed")]
                    + layerOptions(activation: "linear", bias: false, l1: decimal(Network.defaultAutoencoderL1), loss: "hinge"),
                details: "Example: let cg = train shallow(from: 1024, to: 512) on pairs(data, decimate(data)) epochs: 20") { args in
            .object(NetValue(try Network.shallow(from: try args.positiveInt("from"), to: try args.positiveInt("to"),
                                                 activation: try activation(args), bias: try args.bool("bias"),
                                                 l1: try float(args, "l1"), l2: try float(args, "l2"), loss: try loss(args),
                                                 optimizer: try optimizer(args), seed: try args.seed())))
        },
        Builtin("hardcoded", "A frozen linear net whose weights are a matrix: the paper's HCG nets from coarse_graining_matrix.",
                parameters: [Parameter("matrix", .kind("Matrix"), "weights, inputs x outputs"),
                             Parameter("loss", .choice(Loss.allCases.map(\.rawValue)), default: .string("hinge"), "loss when composed and trained")],
                details: "Example: let hcg = hardcoded(coarse_graining_matrix(from: 1024, to: 512))") { args in
            .object(NetValue(try Network.hardCoded(try args.object("matrix", as: MatrixValue.self).matrix, loss: try loss(args))))
        },
        Builtin("compose", "Stacks the layers of trained nets into one deep net (transfer learning); frozen layers stay frozen.",
                parameters: [Parameter("nets", .list, "trained nets, input side first"),
                             Parameter("loss", .choice(Loss.allCases.map(\.rawValue)), optional: true,
                                       "loss of the composed net (default: the last net's when it is a regressor or classifier, else hinge)"),
                             Parameter("optimizer", .choice(["adam", "sgd"]), default: .string("adam"), "optimizer for further training"),
                             Parameter("lr", .number, optional: true, "learning rate"),
                             Parameter("momentum", .number, default: .number(0), "SGD momentum")],
                details: "Model-3 of the autoencoder paper: compose([cg1024, cg512, up256, up512]).") { args in
            guard case .list(let items)? = args.value("nets") else { throw args.error("`nets` must be a list", at: "nets") }
            let nets = try items.map { item -> Network in
                guard let n = item.object(NetValue.self) else { throw args.error("`nets` must hold Nets, found \(withArticle(item.typeName))", at: "nets") }
                return try n.built(args, "nets")
            }
            guard !nets.isEmpty else { throw args.error("`nets` is empty", at: "nets") }
            let loss = args.has("loss") ? try loss(args) : nil
            return .object(NetValue(try Network.compose(nets, loss: loss, optimizer: try optimizer(args))))
        },
        Builtin("freeze", "The net with the given layers (0-based) frozen: training leaves them unchanged.",
                parameters: [Parameter("net", .kind("Net"), "a built net"),
                             Parameter("layers", .list, "layer indices to freeze")]) { args in
            let net = try args.object("net", as: NetValue.self).built(args, "net")
            return .object(NetValue(try net.freezing(layers: try intList(args, "layers"))))
        },
        Builtin("regressor", "A supervised net predicting a label (beta, T or h): the autoencoder paper's 1024 -> 512 tanh -> 1 ReLU, MSE.",
                parameters: [targetParameter(default: "beta"),
                             Parameter("hidden", .list, default: .list([.number(512)]), "hidden layer widths"),
                             Parameter("activation", .choice(activations), default: .string("tanh"), "hidden activation"),
                             Parameter("output", .choice(activations), default: .string("relu"),
                                       "output activation (linear by default for target: h, which can be negative)"),
                             Parameter("optimizer", .choice(["adam", "sgd"]), default: .string("adam"), "optimizer"),
                             Parameter("lr", .number, optional: true, "learning rate (adam 0.001, sgd 0.01)"),
                             Parameter("momentum", .number, default: .number(0), "SGD momentum")],
                details: """
                `train` starts the output layer at zero weights with its bias at the mean label of the data (linear or ReLU
                output), so every sample starts on the live side of the ReLU. On lattices, augment: true and lr_factor: 0.5
                keep it from memorising the training set (docs/nets.md).
                Example: let reg = train regressor(target: beta) on ising(L: 32, beta: 0.1..0.6 step 0.025, samples: 500) epochs: 100 augment: true lr_factor: 0.5
                """) { args in
            let target = try target(args)
            let output = target == .field && !args.isGiven("output") ? .linear : try activation(args, "output")
            if output == .softmax {
                throw args.error("a softmax over the regressor's single output is always 1", at: "output",
                                 hint: "use classifier(target: ...) for probabilities over the label values")
            }
            return .object(NetValue(recipe: .regressor(target: target, hidden: try intList(args, "hidden"),
                                                       activation: try activation(args), output: output,
                                                       optimizer: try optimizer(args))))
        },
        Builtin("classifier", "A supervised net giving a probability for each training value of a label (softmax), as the long-range paper's T net.",
                parameters: [targetParameter(default: "T"),
                             Parameter("hidden", .list, default: .list([.number(512)]), "hidden layer widths"),
                             Parameter("activation", .choice(activations), default: .string("tanh"), "hidden activation"),
                             Parameter("optimizer", .choice(["adam", "sgd"]), default: .string("adam"), "optimizer"),
                             Parameter("lr", .number, optional: true, "learning rate"),
                             Parameter("momentum", .number, default: .number(0), "SGD momentum")],
                details: """
                Its measurement (`measure T of x using net`) is the mean prediction, sum_k p_k T_k; on several labels or a flow it is a
                table that adds the mean probability p(T_k) of each class. For one label, predict(net, x) gives every sample's p_k.
                """) { args in
            .object(NetValue(recipe: .classifier(target: try target(args), hidden: try intList(args, "hidden"),
                                                 activation: try activation(args), optimizer: try optimizer(args))))
        },
        Builtin("pairs", "Training pairs (input, target) for shallow nets: pairs(data, decimate(data)).",
                parameters: [Parameter("input", .kind("Ensemble"), "inputs"), Parameter("target", .kind("Ensemble"), "targets, sample by sample")]) { args in
            .object(PairsValue(pairs: try TrainingPairs(try args.ensemble("input"), try args.ensemble("target"))))
        },
        Builtin("loss", "The loss of a net on data (its own loss function, penalties excluded): an Ensemble or Pairs.",
                parameters: [Parameter("net", .kind("Net"), "a built net"),
                             Parameter("data", .oneOf([.kind("Ensemble"), .kind("Pairs")]), "held-out data")]) { args in
            let net = try args.object("net", as: NetValue.self).built(args, "net")
            if let p = args.value("data")?.object(PairsValue.self) { return .number(try net.loss(on: p.pairs)) }
            return .number(try net.loss(on: try args.ensemble("data")))
        },
        Builtin("reconstruct", "The net's outputs for every lattice, as a continuous ensemble (same beta, h and seed; model reconstructed(ising) for ising).",
                parameters: [Parameter("net", .kind("Net"), "an autoencoder or a lattice-to-lattice net"),
                             Parameter("data", .kind("Ensemble"), "input lattices"),
                             Parameter("spins", .bool, default: .bool(false), "round the outputs to +-1 spins")]) { args in
            let net = try args.object("net", as: NetValue.self).built(args, "net")
            let out = try net.reconstruct(try args.ensemble("data"))
            return .ensemble(try args.bool("spins") ? try out.signs() : out)
        },
        Builtin("predict", "The net's output for every lattice: a list of numbers for one output, else a samples x outputs Matrix.",
                parameters: [Parameter("net", .kind("Net"), "a built net"), Parameter("data", .kind("Ensemble"), "input lattices")],
                details: "Example: let p = predict(reg, test); print(sqrt(mean((p - test.beta) ^ 2)))   # RMSE") { args in
            let net = try args.object("net", as: NetValue.self).built(args, "net")
            let out = try net.predict(try args.ensemble("data"))
            if net.outputCount == 1 { return .list(out.map { .number(Double($0)) }) }
            return .matrix(Matrix(rows: out.count / net.outputCount, columns: net.outputCount, floats: out))
        },
        Builtin("weights", "The weights of layer k (0-based) of a net as an inputs x outputs Matrix; for an RBM its visible x hidden W.",
                parameters: [Parameter("net", .oneOf([.kind("Net"), .kind("RBM")]), "a built net or RBM"),
                             Parameter("layer", .integer, default: .number(0), "layer index (nets)")]) { args in
            if let r = args.value("net")?.object(RBMValue.self) {
                let rbm = try singleLayer(r, args)
                let w = Matrix(rows: rbm.visibleCount, columns: rbm.hiddenCount, floats: rbm.weights)
                return .matrix(w, title: "weights (visible x hidden)", signed: true)
            }
            let layer = try args.countInt("layer")
            let w = try args.object("net", as: NetValue.self).built(args, "net").weights(layer: layer)
            return .matrix(w, title: "layer \(layer) weights (inputs x outputs)", signed: true)
        },
        Builtin("wwt", "W W^T of a layer (inputs x inputs): how strongly two input sites share hidden units.",
                parameters: [Parameter("net", .oneOf([.kind("Net"), .kind("RBM")]), "a built net or RBM"),
                             Parameter("layer", .integer, default: .number(0), "layer index (nets)")]) { args in
            if let r = args.value("net")?.object(RBMValue.self) {
                return .matrix(try singleLayer(r, args).weightGram(), title: "W W^T (visible x visible)", signed: true)
            }
            let layer = try args.countInt("layer")
            return .matrix(try args.object("net", as: NetValue.self).built(args, "net").wwt(layer: layer),
                           title: "W W^T of layer \(layer) (inputs x inputs)", signed: true)
        },
        Builtin("eigen", "Eigenvalues (descending) and eigenvectors (columns) of a symmetric matrix, by LAPACK: {values, vectors}.",
                parameters: [Parameter("matrix", .kind("Matrix"), "a symmetric matrix (refused when it is not, to 1e-9 of its largest entry)")]) { args in
            let e = try SymmetricEigen(try args.object("matrix", as: MatrixValue.self).matrix)
            return .record(Record([("values", .list(e.values.map(Value.number))), ("vectors", .matrix(e.vectors))]))
        },
        Builtin("beta_flow", "The autoencoder's beta flow: a regressor's beta for the inputs and for the AE outputs, and its fixed point.",
                parameters: [Parameter("ae", .kind("Net"), "a trained autoencoder"),
                             Parameter("data", .kind("Ensemble"), "lattices at several beta"),
                             Parameter("using", .kind("Net"), "a trained beta regressor"),
                             Parameter("resample", .choice(["sign", "sample", "continuous"]), default: .string("sign"),
                                       "how AE outputs become the regressor's input"),
                             Parameter("seed", .integer, optional: true, "seed for resample: sample")],
                details: """
                Returns {table, fixed_point, line_fixed_point}: beta' = beta crossing of the interpolated and of the fitted line (the paper's).
                `plot bf.table` draws beta' against beta with the diagonal (x: "beta" against the label beta).
                """) { args in
            let ae = try args.object("ae", as: NetValue.self).built(args, "ae")
            let reg = try args.object("using", as: NetValue.self).built(args, "using")
            let flow = try ae.betaFlow(on: try args.ensemble("data"), regressor: reg, resampling: try resampling(args))
            return .record(Record([("table", .object(TableValue(table: flow.table, view: .betaFlow))),
                                   ("fixed_point", flow.fixedPoint.map(Value.number) ?? .nothing),
                                   ("line_fixed_point", flow.lineFitFixedPoint.map(Value.number) ?? .nothing)]))
        },
    ] }

    static let activations = Activation.allCases.map(\.rawValue)

    static func targetParameter(default name: String) -> Parameter {
        Parameter("target", .choice(["beta", "T", "h"]), default: .string(name), "the label to predict")
    }

    /// Activation, bias, penalties, loss and optimizer: the options of every trainable layer.
    static func layerOptions(activation: String, bias: Bool, l1: Double, loss: String) -> [Parameter] { [
        Parameter("activation", .choice(activations), default: .string(activation), "activation of every layer"),
        Parameter("bias", .bool, default: .bool(bias), "layers have a bias"),
        Parameter("l1", .number, default: .number(l1), "L1 penalty l1 * sum|W| per layer (Keras convention)"),
        Parameter("l2", .number, default: .number(0), "L2 penalty l2 * sum W^2 per layer"),
        Parameter("loss", .choice(Loss.allCases.map(\.rawValue)), default: .string(loss), "loss function (hinge on +-1 targets, as Keras)"),
        Parameter("optimizer", .choice(["adam", "sgd"]), default: .string("adam"), "Adam (Keras defaults) or SGD"),
        Parameter("lr", .number, optional: true, "learning rate (adam 0.001, sgd 0.01)"),
        Parameter("momentum", .number, default: .number(0), "SGD momentum"),
    ] }

    static func activation(_ args: Arguments, _ name: String = "activation") throws -> Activation {
        Activation(rawValue: try args.string(name)) ?? .linear
    }

    static func loss(_ args: Arguments) throws -> Loss { Loss(rawValue: try args.string("loss")) ?? .mse }

    static func optimizer(_ args: Arguments) throws -> Optimizer {
        let rate = try args.learningRate()
        if try args.string("optimizer") == "sgd" {
            return .sgd(learningRate: rate ?? 0.01, momentum: try momentum(args))
        }
        if args.isGiven("momentum") {
            throw args.error("momentum applies to optimizer: sgd; Adam keeps its own moment estimates (beta1 0.9)", at: "momentum",
                             hint: "drop momentum:, or use optimizer: sgd")
        }
        return .adam(learningRate: rate ?? 0.001)
    }

    static func target(_ args: Arguments) throws -> LabelTarget {
        switch try args.string("target") {
        case "T": .temperature
        case "h": .field
        default: .beta
        }
    }

    /// `momentum:` of SGD or an RBM, in [0, 1) as a 32-bit float.
    static func momentum(_ args: Arguments) throws -> Float {
        let x = try args.number("momentum"), mu = try args.float32("momentum")
        guard mu >= 0, mu < 1 else {
            throw args.error("momentum must be in [0, 1) (got \(formatNumber(x)))", at: "momentum",
                             hint: x < 1 ? "momenta within 3e-8 of 1 round to 1 as 32-bit floats" : nil)
        }
        return mu
    }

    static func float(_ args: Arguments, _ name: String) throws -> Float {
        let x = try args.number(name)
        guard x >= 0, x.isFinite else { throw args.error("`\(name)` must be a number >= 0", at: name) }
        return try args.float32(name)
    }

    /// The trained RBM of `weights`/`wwt`, which has one weight matrix: `layer` may only be 0.
    private static func singleLayer(_ r: RBMValue, _ args: Arguments) throws -> RBM {
        let rbm = try r.built(args, "net")
        guard try args.countInt("layer") == 0 else {
            throw args.error("an RBM has one weight matrix (layer 0)", at: "layer",
                             hint: "for layer l of a stack s, index it: weights(s[l])")
        }
        return rbm
    }

    static func resampling(_ args: Arguments) throws -> FlowResampling {
        switch try args.string("resample") {
        case "sample": .sample(seed: try args.seed())
        case "continuous": .continuous
        default: .sign
        }
    }

    /// A list of positive integers (layer widths, indices).
    static func intList(_ args: Arguments, _ name: String) throws -> [Int] {
        try (args.numbers(name) ?? []).map { x in
            guard x == x.rounded(), x >= 0 else {
                throw args.error("`\(name)` must hold non-negative integers (got \(formatNumber(x)))", at: name)
            }
            guard x < 1e9 else { throw args.error("`\(name)` holds \(formatNumber(x)), more than the limit of 10^9", at: name) }
            return Int(x)
        }
    }
}

extension Ensemble {
    /// The signs of a continuous ensemble as spins (+1 for 0); spin ensembles are returned as they are.
    func signs() throws -> Ensemble {
        guard !isSpin else { return self }
        var e = Ensemble(shape: shape, spins: (0..<count).flatMap { spins($0) }, labels: labels)
        e.notes = notes + ["rounded to spins"]
        e.isPartial = isPartial
        return e
    }
}
