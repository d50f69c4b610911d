import RGSLanguage
import RGSNumerics
import RGSPhysics

/// Real-space RG: decimation, majority rule, Kadanoff block spins, RG flows, the analytic
/// recursions and the coarse-graining weight matrices.
enum RGBuiltins {
    static let rules = ["decimate", "majority", "blockspin"]
    static let ties = ParamType.choice(["first", "random"])

    static var builtins: [Builtin] { [
        Builtin("decimate", "One checkerboard decimation step: L x L -> L x L/2 -> L/2 x L/2; chains keep every other spin.",
                parameters: [Parameter("ensemble", .kind("Ensemble"), "spin or continuous ensemble")],
                details: "The index map and its reading of the autoencoder paper's eqs 7-8 are in docs/rg.md.") { args in
            .ensemble(try decimate(try args.ensemble("ensemble")))
        },
        Builtin("majority", "Majority rule over b x b blocks (b sites on a chain); the result is a spin ensemble.",
                parameters: [Parameter("ensemble", .kind("Ensemble"), "spin or continuous ensemble"),
                             Parameter("block", .integer, default: .number(2), unit: "sites", "block side b >= 2"),
                             Parameter("ties", ties, default: .string("first"), "tie rule: the block's first spin, or a seeded coin")]) { args in
            .ensemble(try majority(try args.ensemble("ensemble"), block: try args.int("block"), ties: try tieRule(args)))
        },
        Builtin("blockspin", "Kadanoff block spin: the average of each b x b block (values in [-1, 1]), or its sign with rounded: true.",
                parameters: [Parameter("ensemble", .kind("Ensemble"), "spin or continuous ensemble"),
                             Parameter("block", .integer, default: .number(2), unit: "sites", "block side b >= 2"),
                             Parameter("rounded", .bool, default: .bool(false), "round the average to a spin"),
                             Parameter("ties", ties, default: .string("random"), "tie rule when rounding a zero average")]) { args in
            .ensemble(try blockspin(try args.ensemble("ensemble"), block: try args.int("block"),
                                    rounded: try args.bool("rounded"), ties: try tieRule(args)))
        },
        Builtin("rg", "The RG flow of an ensemble: `steps` applications of a rule, one ensemble per step (a Flow).",
                parameters: [Parameter("ensemble", .kind("Ensemble"), "the starting ensemble (step 0)"),
                             Parameter("rule", .choice(rules), default: .string("decimate"), "coarse-graining rule"),
                             Parameter("steps", .integer, default: .number(3), "number of RG steps"),
                             Parameter("block", .integer, default: .number(2), unit: "sites", "block side for majority and blockspin"),
                             Parameter("rounded", .bool, default: .bool(false), "blockspin: round averages to spins"),
                             Parameter("ties", ties, optional: true, "tie rule (majority: first, blockspin: random)")],
                details: "Example: rg(ising(L: 64, beta: 0.3, samples: 200), rule: majority, steps: 3) | measure magnetization") { args in
            .flow(try rgFlow(try args.ensemble("ensemble"), rule: try rule(args), steps: try args.countInt("steps")))
        },
        Builtin("recursion", "Iterates an analytic RG recursion: the list beta_0, beta_1, ..., beta_steps (with h: a Table of beta and h per step).",
                parameters: [Parameter("beta", .number, "starting inverse temperature (coupling K = beta J)"),
                             Parameter("scheme", .choice(RGScheme.allCases.map(\.rawValue)), default: .string("decimation2d"),
                                       "decimation2d: beta' = 3/8 ln cosh 4beta (the autoencoder paper's pair approximation); decimation1d: tanh beta' = tanh^2 beta"),
                             Parameter("steps", .integer, default: .number(5), "number of iterations"),
                             Parameter("h", .number, optional: true,
                                       "field (decimation1d only, exact): returns a Table of beta, h and the reduced field H = beta h per step")],
                details: """
                With h: the chain's reduced couplings K = beta, H = beta h flow by K' = 1/4 ln[cosh(2K + H) cosh(2K - H) / cosh^2 H],
                H' = H + 1/2 ln[cosh(2K + H) / cosh(2K - H)] (docs/rg.md); the row of step k is ising1d(N: ..., beta: K_k, h: H_k / K_k).
                """) { args in
            let beta = try args.number("beta"), steps = try args.countInt("steps")
            guard args.has("h") else { return .list(try RGRecursion.iterate(beta: beta, scheme: try scheme(args), steps: steps).map(Value.number)) }
            guard try scheme(args) == .decimation1D else {
                throw args.error("a field flows only in the decimation1d recursion", at: "h", hint: "add scheme: decimation1d")
            }
            let h = try args.number("h"), field = beta * h
            guard field.isFinite else {
                throw args.error("the reduced field beta h = \(formatNumber(field)) is not a finite number", at: "h")
            }
            let flow = try RGRecursion.iterate1D(coupling: beta, field: field, steps: steps)
            return .table(Table(title: "1D decimation with a field", columns: [
                Table.Column("step", flow.indices.map(Double.init)), Table.Column("beta", flow.map(\.coupling)),
                // Step 0 is the given h (H / K is 0 / 0 at beta = 0, where any h is the same chain).
                Table.Column("h", flow.indices.map { $0 == 0 ? h : flow[$0].field / flow[$0].coupling }),
                Table.Column("H", flow.map(\.field)),
            ]))
        },
        Builtin("fixed_point", "The non-trivial fixed point of an RG recursion, to 1e-12 (2D decimation: about 0.5070).",
                parameters: [Parameter("scheme", .choice(RGScheme.allCases.map(\.rawValue)), default: .string("decimation2d"),
                                       "the recursion; decimation1d has none (an error says so)")]) { args in
            .number(try RGRecursion.criticalFixedPoint(scheme: try scheme(args)))
        },
        Builtin("coarse_graining_matrix", "The weight matrix W (from x to) of a linear RG step, with y = x W for a linearised lattice x.",
                parameters: [Parameter("from", .integer, unit: "sites", "input sites: L^2, or 2m^2 after one decimation"),
                             Parameter("to", .integer, unit: "sites", "output sites of one step"),
                             Parameter("rule", .choice(["decimate", "blockspin"]), default: .string("decimate"), "majority is not linear"),
                             Parameter("block", .integer, default: .number(2), unit: "sites", "blockspin block side"),
                             Parameter("up", .bool, default: .bool(false), "the up-scaling matrix (from x to) from the coarse `from` sites to the fine `to` sites, e.g. from: 512, to: 1024")],
                details: "These are the autoencoder paper's hard-coded HCG nets: HCG-1024-512 is coarse_graining_matrix(from: 1024, to: 512).") { args in
            let from = try args.positiveInt("from"), to = try args.positiveInt("to")
            let decimating = try args.string("rule") == "decimate"
            if decimating, args.isGiven("block") {
                throw args.error("decimate takes no `block`", at: "block", hint: "block is for rule: \"blockspin\"")
            }
            let r: RGRule = decimating ? .decimate : .blockspin(block: try args.int("block"))
            return .matrix(try args.bool("up") ? CoarseGraining.upScalingMatrix(from: from, to: to, rule: r)
                                               : CoarseGraining.matrix(from: from, to: to, rule: r))
        },
    ] }

    private static func tieRule(_ args: Arguments) throws -> TieRule {
        TieRule(rawValue: try args.string("ties")) ?? .firstSpin
    }

    private static func scheme(_ args: Arguments) throws -> RGScheme {
        RGScheme(rawValue: try args.string("scheme")) ?? .decimation2D
    }

    /// The rule of `rg(...)` from its arguments.
    static func rule(_ args: Arguments) throws -> RGRule {
        let block = try args.int("block")
        let ties = args.has("ties") ? TieRule(rawValue: try args.string("ties")) : nil
        let name = try args.string("rule")
        // An option the rule does not use is a mistake, not something to ignore silently.
        let unused = (name == "decimate" ? ["block", "rounded", "ties"] : name == "majority" ? ["rounded"] : [])
        if let option = unused.first(where: args.isGiven) {
            throw args.error("\(name) takes no `\(option)`", at: option,
                             hint: name == "decimate" ? "decimation keeps every other site; block, rounded and ties are for majority and blockspin"
                                                      : "rounded is for blockspin")
        }
        switch name {
        case "majority": return .majority(block: block, ties: ties ?? .firstSpin)
        case "blockspin": return .blockspin(block: block, rounded: try args.bool("rounded"), ties: ties ?? .random)
        default: return .decimate
        }
    }
}
