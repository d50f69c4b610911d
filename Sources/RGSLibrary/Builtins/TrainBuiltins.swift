import RGSLanguage
import RGSNets
import RGSNumerics
import RGSPhysics

/// `train K on DATA opts` for every trainable kind, and the RBM recipes it trains.
enum TrainBuiltins {
    static var builtins: [Builtin] { [
        Builtin("train", "Trains a net, RBM or stack on data and returns the trained copy (`train K on DATA opts`).",
                parameters: [Parameter("model", .oneOf([.kind("Net"), .kind("RBM"), .kind("Stack"), .function]),
                                       "a recipe (ae, ae(layers: ...), rbm(hidden: 64), ...) or a trained model to train further"),
                             Parameter("data", .oneOf([.kind("Ensemble"), .kind("Pairs")]), "lattices (targets from the model's role) or pairs(input, target)"),
                             Parameter("epochs", .integer, default: .number(10), "passes over the training rows"),
                             Parameter("batch", .integer, optional: true, "minibatch size (nets 32, RBMs 100; at most the training samples)"),
                             Parameter("validation", .number, default: .number(0.1), "fraction held out for validation (the last rows, after the shuffle below)"),
                             Parameter("patience", .integer, optional: true, "nets: stop after this many epochs without improvement (keeps the best weights)"),
                             Parameter("augment", .bool, default: .bool(false), "nets on lattices: train each epoch on random symmetry images (translations, rotations, reflections; spin flip when h = 0)"),
                             Parameter("lr", .number, optional: true, "learning rate from this call on (a trained net keeps its optimizer's moments; RBMs: every layer of a stack)"),
                             Parameter("lr_factor", .number, optional: true, "nets: multiply the learning rate by this factor in (0, 1) when the loss stalls"),
                             Parameter("lr_patience", .integer, default: .number(3), "nets: epochs without improvement before each lr_factor step"),
                             Parameter("shuffle", .bool, default: .bool(true), "shuffle the rows once (seeded) before the split, so every label is in both parts"),
                             Parameter("seed", .integer, optional: true, "seed of initial weights, minibatch order and Gibbs chains")],
                details: """
                Training is bit-reproducible for a fixed seed on any thread count. Ctrl-C stops after the current minibatch and
                returns the model trained so far, marked partial. A NaN or infinite loss stops training with an error;
                `let n = train ...` still binds the model with the weights of its last good epoch (n.partial is true).
                Training a trained net again continues its optimizer (Adam's step count and moments), as Keras's fit does,
                and its history (epochs are numbered over all calls). So after `let ae = train ae on data`, `ae` names the trained
                net, and `train ae on ...` continues it (the recipe `ae` is hidden for the session): give the net another name to
                keep both.
                Examples: let net = train ae on data epochs: 50 batch: 10
                          let reg = train regressor(target: beta) on scan epochs: 100 augment: true lr_factor: 0.5
                          let r = train rbm(hidden: 64, lr: 0.05, l1: 1e-4) on sweep epochs: 100
                """) { args in
            let seed = try args.seed()
            let epochs = try args.positiveInt("epochs")
            let validation = try args.number("validation")
            guard validation >= 0, validation < 1 else { throw args.error("validation must be in [0, 1)", at: "validation", hint: "the share of rows held out, e.g. validation: 0.1") }
            var model = args.value("model") ?? .nothing
            if case .function(let recipe) = model { model = try args.call(recipe, []) }  // `train ae on d`: the default recipe
            if let pairs = args.value("data")?.object(PairsValue.self) {
                guard let n = model.object(NetValue.self) else { throw args.error("pairs train feed-forward nets, not \(withArticle(model.typeName))", at: "model") }
                guard var net = n.network else {
                    throw args.error("an untrained \(n.recipeName) trains on an Ensemble, not on pairs", at: "data",
                                     hint: "pairs train shallow nets: train shallow(from: 1024, to: 256) on pairs(d, decimate(d))")
                }
                try setLearningRate(&net, args)
                let options = try netOptions(args, epochs, validation, seed, samples: pairs.pairs.input.count)
                try keepingLastGoodEpoch(&net, args) { (net: inout Network) throws(CoreError) in try net.train(on: pairs.pairs, options: options) }
                return .object(NetValue(net))
            }
            var data = try args.ensemble("data")
            guard data.count > 0 else { throw args.error("the training data is empty", at: "data") }
            if try args.bool("shuffle") { data = data.selecting(permutation(data.count, seed: seed)) }
            if let n = model.object(NetValue.self) {
                var net = try n.network ?? build(n.recipe, for: data, seed: seed)
                try setLearningRate(&net, args)
                let options = try netOptions(args, epochs, validation, seed, samples: data.count)
                try keepingLastGoodEpoch(&net, args) { (net: inout Network) throws(CoreError) in try net.train(on: data, options: options) }
                return .object(NetValue(net))
            }
            if model.object(RBMValue.self) != nil || model.object(StackValue.self) != nil {
                for name in ["augment", "lr_factor", "lr_patience", "patience"] where args.isGiven(name) {
                    throw args.error("\(name) applies to nets, not to RBMs", at: name)
                }
            }
            if let r = model.object(RBMValue.self) {
                var recipe = r.recipe
                recipe.options = try rbmOptions(recipe.options, args, epochs, validation, seed)
                var rbm = try r.rbm ?? RBM(visibleShape: data.shape, hidden: recipe.hidden, units: recipe.units, seed: recipe.options.seed)
                do {
                    try rbm.train(on: data, options: recipe.options)
                } catch let e as CoreError where e.keepsPartialResult {
                    throw args.fail(RGSError(.runtime, e.message, at: args.callSpan, hint: e.hint), keeping: .object(RBMValue(rbm, recipe: recipe)),
                                    keptEpoch(rbm.epochsTrained))
                }
                return .object(RBMValue(rbm, recipe: recipe))
            }
            if let s = model.object(StackValue.self) {
                var recipes = s.recipes
                for l in recipes.indices { recipes[l].options = try rbmOptions(recipes[l].options, args, epochs, validation, seed) }
                // A trained stack carries on from its weights, as a trained RBM does.
                do {
                    let stack = try RBMStack.trained(on: data, hidden: recipes.map(\.hidden), units: recipes.map(\.units),
                                                     options: recipes.map(\.options), propagation: s.propagation,
                                                     continuing: s.stack?.layers ?? [])
                    return .object(StackValue(stack, recipes: recipes))
                } catch let d as RBMStack.Diverged {
                    let layers = d.stack.layers, below = layers.count - 1
                    let what = (below == 0 ? "" : (below == 1 ? "layer 1 and " : "layers 1-\(below) and "))
                        + "layer \(layers.count) with " + keptEpoch(layers[below].epochsTrained)
                    throw args.fail(RGSError(.runtime, d.error.message, at: args.callSpan, hint: d.error.hint),
                                    keeping: .object(StackValue(d.stack, recipes: recipes)), what)
                }
            }
            throw args.error("cannot train \(withArticle(model.typeName))", at: "model")
        },
        Builtin("rbm", "A restricted Boltzmann machine recipe: +-1 units with tanh conditionals (as the papers) or 0/1 units.",
                parameters: [Parameter("hidden", .integer, "hidden units"),
                             Parameter("units", .choice(RBMUnits.allCases.map(\.rawValue)), default: .string("pm1"), "pm1 (+-1, the papers) or binary (0/1)"),
                             Parameter("k", .integer, default: .number(1), "Gibbs steps of CD-k"),
                             Parameter("persistent", .bool, default: .bool(false), "persistent CD (chains carried across minibatches)"),
                             Parameter("lr", .number, default: .number(0.01), "learning rate"),
                             Parameter("momentum", .number, default: .number(0.5), "momentum"),
                             Parameter("l1", .number, default: .number(0), "L1 penalty on W (Mehta-Schwab)"),
                             Parameter("l2", .number, default: .number(0), "L2 weight decay on W")],
                details: "p(h_a = +1 | v) = (1 + tanh(sum_i v_i W_ia + b_a)) / 2 for pm1 units (docs/rbm.md). Train with `train rbm(...) on data epochs: 100`.") { args in
            let hidden = try args.positiveInt("hidden")
            let units = RBMUnits(rawValue: try args.string("units")) ?? .pm1
            var options = RBMTrainingOptions(k: try args.positiveInt("k"), persistent: try args.bool("persistent"),
                                             learningRate: try args.learningRate() ?? 0.01, momentum: try NetBuiltins.momentum(args),
                                             l1: try NetBuiltins.float(args, "l1"), l2: try NetBuiltins.float(args, "l2"))
            options.epochs = 1
            try options.validate()
            return .object(RBMValue(recipe: RBMValue.Recipe(hidden: hidden, units: units, options: options)))
        },
        Builtin("stack", "Stacked RBMs trained greedily, each on the previous layer's hidden samples (or means).",
                parameters: [Parameter("propagation", .choice(RBMPropagation.allCases.map(\.rawValue)), default: .string("sample"),
                                       keywordOnly: true, "what feeds the next layer: hidden samples or means")],
                variadic: Parameter("layers", .oneOf([.kind("RBM"), .list]), "rbm(...) recipes, bottom first, or one list of them"),
                details: "Example: train stack(rbm(hidden: 1024), rbm(hidden: 256), rbm(hidden: 64), propagation: mean) on data epochs: 20") { args in
            let items = args.rest.flatMap { v -> [Value] in if case .list(let xs) = v { xs } else { [v] } }
            let recipes = try items.map { v -> RBMValue.Recipe in
                guard let r = v.object(RBMValue.self) else { throw args.error("stack takes rbm(...) recipes, found \(withArticle(v.typeName))") }
                return r.recipe
            }
            guard !recipes.isEmpty else { throw args.error("stack needs at least one rbm(...)") }
            return .object(StackValue(recipes: recipes, propagation: RBMPropagation(rawValue: try args.string("propagation")) ?? .sample))
        },
    ] }

    /// Builds a recipe for data of this width.
    private static func build(_ recipe: NetValue.Recipe?, for data: Ensemble, seed: UInt64) throws -> Network {
        switch recipe {
        case .autoencoder(let sizes, let activation, let bias, let l1, let l2, let loss, let optimizer):
            let s = sizes ?? Network.defaultAutoencoderSizes(inputs: data.siteCount)
            guard s.first == data.siteCount else {
                throw CoreError("the autoencoder takes \(s.first ?? 0) inputs but the lattices have \(data.siteCount) sites",
                                hint: "use layers: [\(data.siteCount), ...] or lattices of \(s.first ?? 0) sites")
            }
            return try Network.autoencoder(sizes: s, activation: activation, bias: bias, l1: l1, l2: l2, loss: loss,
                                           optimizer: optimizer, seed: seed)
        case .regressor(let target, let hidden, let activation, let output, let optimizer):
            return try Network.regressor(for: data, target: target, hidden: hidden, activation: activation,
                                         output: output, optimizer: optimizer, seed: seed)
        case .classifier(let target, let hidden, let activation, let optimizer):
            return try Network.classifier(for: data, target: target, hidden: hidden, activation: activation,
                                          optimizer: optimizer, seed: seed)
        case nil:
            throw CoreError("internal: a net without weights or recipe")
        }
    }

    /// Net training options; without `batch:`, minibatches of 32 (or all training samples, if fewer).
    private static func netOptions(_ args: Arguments, _ epochs: Int, _ validation: Double, _ seed: UInt64,
                                   samples: Int) throws -> TrainingOptions {
        let batch = try args.optionalInt("batch") ?? max(1, min(32, Int(Double(samples) * (1 - validation))))
        guard batch > 0 else { throw args.error("batch must be positive", at: "batch", hint: "rows per gradient step, e.g. batch: 100") }
        let patience = try args.optionalInt("patience")
        if let p = patience, p < 1 { throw args.error("patience must be positive", at: "patience", hint: "epochs without improvement before stopping, e.g. patience: 5") }
        var decay: LearningRateDecay?
        if let factor = try args.optionalNumber("lr_factor") {
            guard factor > 0, factor < 1 else { throw args.error("lr_factor must be in (0, 1)", at: "lr_factor") }
            let wait = try args.positiveInt("lr_patience")
            decay = LearningRateDecay(factor: factor, patience: wait)
        } else if args.isGiven("lr_patience") {
            throw args.error("lr_patience counts epochs before each lr_factor step, and no lr_factor is given", at: "lr_patience",
                             hint: "add lr_factor: 0.5 to halve the rate on plateaus, or drop lr_patience")
        }
        return TrainingOptions(epochs: epochs, batchSize: batch, validationFraction: validation, patience: patience, seed: seed,
                               augment: try args.bool("augment"), decay: decay)
    }

    private static func rbmOptions(_ base: RBMTrainingOptions, _ args: Arguments, _ epochs: Int, _ validation: Double,
                                   _ seed: UInt64) throws -> RBMTrainingOptions {
        var o = base
        o.epochs = epochs
        o.batch = try args.optionalInt("batch") ?? 100
        guard o.batch > 0 else { throw args.error("batch must be positive", at: "batch", hint: "rows per gradient step, e.g. batch: 100") }
        o.seed = seed
        o.validationFraction = validation
        if args.isGiven("lr"), let rate = try args.learningRate() { o.learningRate = rate }
        try o.validate()
        return o
    }

    /// Runs `training` on `net`. When the loss turns non-finite the net holds the weights of its
    /// last good epoch; the error keeps that net, so `let n = train ...` binds it.
    private static func keepingLastGoodEpoch(_ net: inout Network, _ args: Arguments,
                                             _ training: (inout Network) throws(CoreError) -> Void) throws {
        do {
            try training(&net)
        } catch {
            guard error.keepsPartialResult else { throw error }
            let message = net.history.stopReason.map { "training stopped: the \($0)" } ?? error.message
            throw args.fail(RGSError(.runtime, message, at: args.callSpan, hint: error.hint), keeping: .object(NetValue(net)),
                            keptEpoch(net.history.keptEpoch ?? net.history.train.count))
        }
    }

    /// What a model stopped by divergence keeps: "the weights of epoch 3".
    private static func keptEpoch(_ epoch: Int) -> String {
        epoch == 0 ? "its initial weights" : "the weights of epoch \(epoch)"
    }

    /// `lr:`, if given, as the net's step size from now on; a decay's lowered rate restarts
    /// from it (`TrainingHistory.rateScale` back to 1).
    private static func setLearningRate(_ net: inout Network, _ args: Arguments) throws {
        guard args.isGiven("lr"), let rate = try args.learningRate() else { return }
        net.optimizer = net.optimizer.with(learningRate: rate)
        net.history.rateScale = 1
    }

    /// A seeded random permutation of 0..<n (Fisher-Yates on a stream of its own).
    static func permutation(_ n: Int, seed: UInt64) -> [Int] {
        var order = Array(0..<n)
        var rng = RandomStream(seed: seed, stream: 0x5348_5546)
        for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, rng.below(i + 1)) }
        return order
    }
}
