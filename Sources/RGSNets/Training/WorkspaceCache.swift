import Synchronization

/// The workspace of the latest `train` call, kept for the next call with the same shapes.
///
/// Making a workspace clears all its buffers: about 55 MB and 6-7 ms for Model-1 at batch 1000,
/// a few percent of a one-epoch call. A kept one only takes the net's parameters and moments
/// (`Workspace.reload`). One workspace is kept, the latest, so no more than one workspace's
/// memory stays held besides `BufferPool`'s budget; one of other shapes is freed when taken.
enum WorkspaceCache {
    /// The kept workspace; a workspace is used by one `train` call at a time, which takes it out.
    private struct Kept: @unchecked Sendable { let work: Workspace }
    private static let slot = Mutex<Kept?>(nil)

    /// A training workspace for `network`: the kept one if it fits (`Workspace.reload`), else a
    /// new one. `moments`, if given, must fit the net.
    static func workspace(for network: Network, batchCapacity: Int, spinInputs: Bool, moments: OptimizerState?) -> Workspace {
        let kept = slot.withLock { kept -> Kept? in
            defer { kept = nil }
            return kept
        }
        if let work = kept?.work, work.reload(network, batchCapacity: batchCapacity, spinInputs: spinInputs, moments: moments) {
            return work
        }
        return Workspace(network: network, batchCapacity: batchCapacity, training: true, spinInputs: spinInputs, moments: moments)
    }

    /// Keeps `work` for the next call in place of the kept one (none: frees the kept one).
    static func keep(_ work: Workspace?) {
        _ = slot.withLock { kept -> Kept? in  // the replaced one is freed after the lock
            defer { kept = work.map(Kept.init) }
            return kept
        }
    }
}
