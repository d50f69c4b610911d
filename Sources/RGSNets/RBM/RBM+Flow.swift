import RGSNumerics
import RGSPhysics

/// The ensembles of an RBM flow v0 -> h1 -> v1 -> h2 -> v2 -> ...
public struct RBMFlowResult: Sendable {
    /// Visible ensembles v0 (the input), v1, ..., vk, shaped like the input.
    public var visible: Flow
    /// Hidden ensembles h1, ..., hk (when requested), shaped `RBM.hiddenShape`.
    public var hidden: Flow?
    /// True when the flow was interrupted and holds fewer steps than requested.
    public var isPartial = false
}

extension RBM {
    /// The RBM flow of Iso-Shiba Funai-Yokoo (eq. 18 of the long-range paper): starting from
    /// `data`, step s draws h_s from p(h | v_{s-1}) and v_s from p(v | h_s) (`.sample`, the
    /// papers' flow: spin ensembles), or passes the means <h | v> and <v | h> (`.mean`: continuous
    /// ensembles, a deterministic mean-field map). Labels (beta, h, seed) are carried from the
    /// input with the model renamed "rbm(model)", so a flow from T = 1 stays labelled T = 1.
    /// Step s draws from streams (seed, 2s - 2, row) and (seed, 2s - 1, row): thread-independent.
    /// On Ctrl-C the flow stops after the last finished step and `isPartial` is set.
    public func flow(from data: Ensemble, steps: Int, mode: RBMPropagation = .sample, seed: UInt64,
                     keepHiddens: Bool = false) throws -> RBMFlowResult {
        guard steps >= 0 else { throw CoreError("the number of flow steps must be >= 0, got \(steps)") }
        guard data.shape.reduce(1, *) == visibleCount else {
            throw CoreError("the RBM's visible layer has \(visibleCount) units but the lattices have \(data.siteCount) sites",
                            hint: "start the flow from lattices of the training size \(visibleShape.map(String.init).joined(separator: "x"))")
        }
        var visible = [data], hidden = [Ensemble]()
        var partial = false
        let progress = Progress("rbm flow", total: steps, unit: "steps")
        defer { progress.finish() }
        for s in stride(from: 1, through: steps, by: 1) {
            do {
                var h = try hiddenLayer(of: visible[s - 1], mode: mode, seed: seed, step: 2 * s - 2)
                var v = try visibleLayer(ofHidden: h, mode: mode, seed: seed, step: 2 * s - 1)
                h.notes = data.notes + ["rbm flow step \(s), hidden (\(mode.rawValue))"]
                v.notes = data.notes + ["rbm flow step \(s) (\(mode.rawValue))"]
                visible.append(v)
                if keepHiddens { hidden.append(h) }
                progress.advance()
            } catch is Cancelled {
                partial = true
                visible[visible.count - 1].isPartial = true
                break
            }
        }
        return RBMFlowResult(visible: Flow(name: "rbm", steps: visible, isPartial: partial),
                             hidden: keepHiddens ? Flow(name: "rbm hidden", steps: hidden, isPartial: partial) : nil,
                             isPartial: partial)
    }
}
