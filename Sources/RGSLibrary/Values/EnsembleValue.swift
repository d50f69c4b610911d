import RGSLanguage
import RGSNumerics
import RGSPhysics

/// An Ensemble in the language: `e[i]` one lattice (as a one-sample ensemble), `e[0..9]` a slice,
/// `e1 + e2` concatenation, `e.beta` the per-sample labels.
struct EnsembleValue: HostObject {
    let ensemble: Ensemble

    var kindName: String { "Ensemble" }

    var summary: String {
        let e = ensemble
        var parts = ["Ensemble \(e.shapeDescription)"]
        // Rounded for display, unless rounding would overflow (beta 1e308 stays 1e+308).
        func shown(_ x: Double, _ scale: Double) -> String { formatNumber(abs(x) < 1e9 ? (x * scale).rounded() / scale : x) }
        let betas = Set(e.labels.map(\.beta).filter { !$0.isNaN })
        if betas.isEmpty {
            if e.count > 0 { parts.append("no temperature labels") }
        } else if betas.count == 1, let b = betas.first {
            parts.append(b.isInfinite ? "T 0" : "beta \(shown(b, 1e6))")
        } else if let lo = betas.min(), let hi = betas.max() {
            parts.append("\(betas.count) betas in [\(shown(lo, 1e4)), \(shown(hi, 1e4))]")
        }
        if !betas.isEmpty, e.labels.contains(where: { $0.beta.isNaN }) { parts.append("some without temperature labels") }
        let hs = Set(e.labels.map(\.h))
        if hs.count == 1, let h = hs.first, h != 0 {
            parts.append("h \(compactNumber(h))")
        } else if hs.count > 1, let lo = hs.min(), let hi = hs.max() {
            parts.append("\(hs.count) fields h in [\(shown(lo, 1e4)), \(shown(hi, 1e4))]")
        }
        // Every model in order of first appearance: a join of sampled and reconstructed lattices says so.
        var models = [String]()
        for label in e.labels where !models.contains(label.model) {
            models.append(label.model)
            if models.count > 3 { break }
        }
        if !models.isEmpty { parts.append(models.count > 3 ? models.prefix(3).joined(separator: " + ") + " + ..." : models.joined(separator: " + ")) }
        if e.isPartial { parts.append("PARTIAL (interrupted)") }
        return parts.joined(separator: ", ")
    }

    var longDescription: String {
        ([summary] + ensemble.notes.map { "  " + $0 }).joined(separator: "\n")
    }

    var memberNames: [String] { ["count", "shape", "L", "sites", "beta", "T", "h", "model", "seed", "notes", "partial", "spins"] }

    func isEqual(to other: any HostObject) -> Bool {
        (other as? EnsembleValue).map { ensemble.hasSameSamples(as: $0.ensemble) } ?? false
    }

    func member(_ name: String) -> Value? {
        let e = ensemble
        switch name {
        case "count": return .number(Double(e.count))
        case "shape": return .list(e.shape.map { .number(Double($0)) })
        case "L": return e.shape.first.map { .number(Double($0)) }
        case "sites": return .number(Double(e.siteCount))
        case "beta": return .list(e.labels.map { .number($0.beta) })
        case "T": return .list(e.labels.map { .number($0.temperature) })
        case "h": return .list(e.labels.map { .number($0.h) })
        case "model": return .list(e.labels.map { .string($0.model) })
        case "seed": return .list(e.labels.map { .number(Double($0.seed)) })
        case "notes": return .list(e.notes.map(Value.string))
        case "partial": return .bool(e.isPartial)
        case "spins": return e.count == 1 ? .list(e.sample(0).map { .number(Double($0)) }) : nil
        default: return nil
        }
    }

    func missingMember(_ name: String) -> (message: String, hint: String?) {
        guard name == "spins" else { return ("this Ensemble has no '\(name)'", nil) }
        return ("'spins' is the lattice of a one-sample ensemble; this one has \(counted(ensemble.count, "sample"))",
                "take one sample first: d[0].spins")
    }

    var length: Int? { ensemble.count }
    func element(at index: Int) -> Value? { .object(EnsembleValue(ensemble: ensemble.selecting([index]))) }
    func elements() -> [Value]? { nil }
    func numbers() -> [Double]? { nil }
    func slice(_ indices: [Int]) throws -> Value? { .object(EnsembleValue(ensemble: ensemble.selecting(indices))) }
    func adding(_ other: any HostObject) throws -> Value? {
        guard let o = other as? EnsembleValue else { return nil }
        return .object(EnsembleValue(ensemble: try ensemble.concatenated(with: o.ensemble)))
    }
}

/// A Flow in the language: `f[k]` is the ensemble after k steps, `f.steps` their number.
struct FlowValue: HostObject {
    let flow: Flow

    var kindName: String { "Flow" }
    var summary: String {
        let first = flow.steps.first.map { EnsembleValue(ensemble: $0).summary } ?? "empty"
        return "Flow '\(flow.name)' \(counted(flow.steps.count - 1, "step"))\(flow.isPartial ? " (PARTIAL: interrupted)" : "") from \(first)"
    }
    var memberNames: [String] { ["steps", "name", "partial"] }
    func member(_ name: String) -> Value? {
        switch name {
        case "steps": return .number(Double(flow.steps.count - 1))
        case "name": return .string(flow.name)
        case "partial": return .bool(flow.isPartial)
        default: return nil
        }
    }
    var length: Int? { flow.steps.count }
    func element(at index: Int) -> Value? { .object(EnsembleValue(ensemble: flow.steps[index])) }

    /// `f1 + f5`: two flows of as many steps, step by step one flow, so a measurement or plot
    /// shows both starts together (each step's ensembles join as `e1 + e2` does).
    func adding(_ other: any HostObject) throws -> Value? {
        guard let o = other as? FlowValue else { return nil }
        guard flow.steps.count == o.flow.steps.count else {
            throw CoreError("flows of \(counted(flow.steps.count - 1, "step")) and \(counted(o.flow.steps.count - 1, "step")) do not join",
                            hint: "run them for the same number of steps")
        }
        let steps = try zip(flow.steps, o.flow.steps).map { try $0.concatenated(with: $1) }
        let name = flow.name == o.flow.name ? flow.name : "\(flow.name) + \(o.flow.name)"
        return .object(FlowValue(flow: Flow(name: name, steps: steps, isPartial: flow.isPartial || o.flow.isPartial)))
    }

    func isEqual(to other: any HostObject) -> Bool {
        guard let other = other as? FlowValue, flow.name == other.flow.name, flow.steps.count == other.flow.steps.count else { return false }
        return zip(flow.steps, other.flow.steps).allSatisfy { $0.hasSameSamples(as: $1) }
    }
}
