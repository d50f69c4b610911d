import RGSNumerics

/// What a `train` call leaves for the next one besides the parameters: the momentum velocities
/// and, after persistent CD, the persistent chains. With it, training 1 + 1 epochs gives the
/// bits of 2 epochs in one call; it is saved with the RBM.
public struct RBMTrainingState: Sendable, Equatable {
    /// Velocities of W (n x m row-major), c (n) and b (m).
    public var weights: [Float], visible: [Float], hidden: [Float]
    /// The persistent chains' visible states, one row of n per minibatch row (empty after CD).
    public var chains: [Float]

    /// Whether the state belongs to an RBM of n visible and m hidden units (chains: whole rows).
    func fits(visible n: Int, hidden m: Int) -> Bool {
        weights.count == n * m && visible.count == n && hidden.count == m && chains.count % max(1, n) == 0
    }
}

extension RBMWorkspace {
    /// Loads a kept state's velocities and, when they fit this workspace, its chains; returns
    /// whether the chains were loaded.
    func load(_ state: RBMTrainingState, persistent: Bool) -> Bool {
        velocityW.update(from: state.weights, count: visible * hidden)
        velocityC.update(from: state.visible, count: visible)
        velocityB.update(from: state.hidden, count: hidden)
        guard persistent, state.chains.count == batch * visible else { return false }
        state.chains.withUnsafeBufferPointer { p in
            for r in 0..<batch { (chains + r * visibleStride).update(from: p.baseAddress! + r * visible, count: visible) }
        }
        return true
    }

    /// The velocities and, when `persistent`, the chains of this workspace.
    func state(persistent: Bool) -> RBMTrainingState {
        let (n, m) = (visible, hidden)
        var rows = [Float]()
        if persistent {
            rows.reserveCapacity(batch * n)
            for r in 0..<batch { rows += UnsafeBufferPointer(start: chains + r * visibleStride, count: n) }
        }
        return RBMTrainingState(weights: Array(UnsafeBufferPointer(start: velocityW, count: n * m)),
                                visible: Array(UnsafeBufferPointer(start: velocityC, count: n)),
                                hidden: Array(UnsafeBufferPointer(start: velocityB, count: m)), chains: rows)
    }
}
