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
        state.weights.withUnsafeBufferPointer { v in
            if let panels { panels.pack(v.baseAddress!, into: velocityW) } else { velocityW.update(from: v.baseAddress!, count: v.count) }
        }
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
        let velocities = panels.map { layout in
            [Float](unsafeUninitializedCapacity: n * m) { buffer, count in
                layout.unpack(velocityW, into: buffer.baseAddress!)
                count = n * m
            }
        } ?? Array(UnsafeBufferPointer(start: velocityW, count: n * m))
        return RBMTrainingState(weights: velocities,
                                visible: Array(UnsafeBufferPointer(start: velocityC, count: n)),
                                hidden: Array(UnsafeBufferPointer(start: velocityB, count: m)), chains: rows)
    }
}
