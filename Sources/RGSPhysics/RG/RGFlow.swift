import RGSNumerics

/// A real-space coarse-graining rule for `rgFlow`.
public enum RGRule: Sendable, Equatable {
    /// Checkerboard decimation (L x L -> L x L/2 -> L/2 x L/2, chains N -> N/2).
    case decimate
    /// Majority vote over b x b blocks (b consecutive sites on a chain).
    case majority(block: Int, ties: TieRule = .firstSpin)
    /// Kadanoff block average over b x b blocks; `rounded` rounds it to a spin.
    case blockspin(block: Int, rounded: Bool = false, ties: TieRule = .random)

    /// "decimate", "majority b=2", "blockspin b=2", "blockspin b=2 rounded".
    public var name: String {
        switch self {
        case .decimate: return "decimate"
        case .majority(let b, _): return "majority b=\(b)"
        case .blockspin(let b, let rounded, _): return "blockspin b=\(b)\(rounded ? " rounded" : "")"
        }
    }

    /// Applies one step of the rule.
    public func apply(_ ensemble: Ensemble) throws -> Ensemble {
        switch self {
        case .decimate: return try RGSPhysics.decimate(ensemble)
        case .majority(let b, let ties): return try RGSPhysics.majority(ensemble, block: b, ties: ties)
        case .blockspin(let b, let rounded, let ties):
            return try RGSPhysics.blockspin(ensemble, block: b, rounded: rounded, ties: ties)
        }
    }

    /// The shape one step produces from `shape`, or the error the step would throw.
    public func coarseShape(_ shape: [Int]) throws -> [Int] {
        switch self {
        case .decimate: return try DecimationStep.plan(for: shape).1
        case .majority(let b, _): return try BlockGeometry(shape: shape, block: b, rule: "majority").outShape
        case .blockspin(let b, _, _): return try BlockGeometry(shape: shape, block: b, rule: "blockspin").outShape
        }
    }
}

/// The real-space RG flow: `steps` applications of `rule`, one ensemble per step (step 0 is the
/// input), as a `Flow` that `measure` and `plot` take.
///
/// Every shape along the way is checked before any work is done: steps must be >= 0 and the
/// lattice must stay divisible for all of them (64x64 allows at most 12 decimation steps, 6
/// majority b=2 steps). A flow interrupted by the user returns the steps finished so far with
/// the last one marked partial (never half an ensemble); if no step finished, it throws
/// `Cancelled`.
public func rgFlow(_ ensemble: Ensemble, rule: RGRule, steps: Int) throws -> Flow {
    guard steps >= 0 else { throw CoreError("steps must be >= 0 (got \(steps))") }
    var shape = ensemble.shape
    for k in 0..<steps {
        do {
            shape = try rule.coarseShape(shape)
        } catch let error as CoreError {
            throw CoreError("\(rule.name) cannot take \(steps) steps from a \(shapeText(ensemble.shape)) lattice: step \(k + 1) fails: \(error.message)",
                            hint: "at most \(maxSteps(rule, ensemble.shape)) steps are possible")
        }
    }
    var flow = Flow(name: rule.name, steps: [ensemble])
    let progress = Progress("rg flow", total: steps, unit: "steps")
    defer { progress.finish() }
    // Ctrl-C between or inside steps keeps the finished ones (once there is one), marked.
    func interrupted() -> Flow {
        var kept = flow
        kept.steps[kept.steps.count - 1].isPartial = true
        kept.steps[kept.steps.count - 1].notes.append("rg flow interrupted after this step")
        kept.isPartial = true
        return kept
    }
    for _ in 0..<steps {
        if Cancellation.isRequested, flow.steps.count > 1 { return interrupted() }
        do {
            flow.steps.append(try rule.apply(flow.steps[flow.steps.count - 1]))
        } catch is Cancelled where flow.steps.count > 1 {
            return interrupted()
        }
        progress.advance()
    }
    return flow
}

/// How many steps `rule` can take from `shape` (stops at a single site).
public func maxSteps(_ rule: RGRule, _ shape: [Int]) -> Int {
    var s = shape, k = 0
    while s.reduce(1, *) > 1, let next = try? rule.coarseShape(s) {
        s = next
        k += 1
    }
    return k
}
