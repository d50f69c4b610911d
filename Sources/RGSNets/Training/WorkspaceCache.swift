import RGSNumerics
import Synchronization

/// The workspace of the latest `train` call, kept for the next call with the same shapes.
///
/// Making a workspace clears all its buffers: about 55 MB and 6-7 ms for Model-1 at batch 1000,
/// a few percent of a one-epoch call. A kept one only takes the net's layers, parameters and
/// moments (`Workspace.reload`). One workspace is kept, the latest, and only if it is no larger
/// than `BufferPool`'s budget, so the memory held between calls stays within twice that budget.
/// A kept workspace that does not fit the next call is freed before that call makes its own.
enum WorkspaceCache {
    /// A workspace is reachable from the slot or from the one `train` call that took it out,
    /// never both; a caller of `keep` no longer touches it.
    private struct Kept: @unchecked Sendable { let work: Workspace }
    /// The kept workspace, if any.
    private static let slot = Mutex<Kept?>(nil)

    /// A training workspace for `network`: the kept one if it fits (`Workspace.reload`), else a
    /// new one. `moments`, if given, must fit the net.
    static func workspace(for network: Network, batchCapacity: Int, spinInputs: Bool, moments: OptimizerState?) -> Workspace {
        if let work = take(), work.reload(network, batchCapacity: batchCapacity, spinInputs: spinInputs, moments: moments) {
            return work
        }
        return Workspace(network: network, batchCapacity: batchCapacity, training: true, spinInputs: spinInputs, moments: moments)
    }

    /// Keeps `work` for the next call in place of the kept one (none: frees the kept one).
    static func keep(_ work: Workspace?) {
        let fits = work.map { $0.bytes <= BufferPool.budget } ?? true
        _ = exchange(fits ? work.map(Kept.init) : nil)  // the replaced one is freed after the lock
    }

    /// Takes the kept workspace out of the slot.
    private static func take() -> Workspace? { exchange(nil)?.work }

    /// Puts `new` in the slot and returns what it held.
    private static func exchange(_ new: Kept?) -> Kept? {
        slot.withLock { kept in
            defer { kept = new }
            return kept
        }
    }
}
