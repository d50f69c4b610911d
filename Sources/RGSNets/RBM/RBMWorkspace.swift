import RGSPhysics

/// Preallocated minibatch buffers of one training run (no allocation inside the batch loop).
final class RBMWorkspace {
    let batch: Int
    /// [v0; vk] and [<h|v0>; -<h|vk>] stacked, so one sgemm of the stacks gives
    /// v0^T <h|v0> - vk^T <h|vk>. For a batch of `rows`, vk starts at row `rows`.
    let visiblePair, hiddenPair: UnsafeMutablePointer<Float>
    /// Hidden samples and visible means of the Gibbs chain.
    let hs, vm: UnsafeMutablePointer<Float>
    /// Persistent chains (visible states) for PCD.
    let chains: UnsafeMutablePointer<Float>
    /// Momentum velocities of W, c, b and scratch sums for the bias gradients.
    let velocityW, velocityC, velocityB, sumC, sumB: UnsafeMutablePointer<Float>
    private let all: [UnsafeMutablePointer<Float>]
    private let visible, hidden: Int

    init(batch: Int, visible n: Int, hidden m: Int) {
        func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))
            p.initialize(repeating: 0, count: max(1, count))
            return p
        }
        (self.batch, visible, hidden) = (batch, n, m)
        (visiblePair, hiddenPair, hs, vm) = (buffer(2 * batch * n), buffer(2 * batch * m), buffer(batch * m), buffer(batch * n))
        chains = buffer(batch * n)
        (velocityW, velocityC, velocityB) = (buffer(n * m), buffer(n), buffer(m))
        (sumC, sumB) = (buffer(n), buffer(m))
        all = [visiblePair, hiddenPair, hs, vm, chains, velocityW, velocityC, velocityB, sumC, sumB]
    }

    /// Data rows v0 and their hidden means.
    var v0: UnsafeMutablePointer<Float> { visiblePair }
    var h0: UnsafeMutablePointer<Float> { hiddenPair }
    /// The chain's last visible sample and hidden means for a batch of `rows`.
    func vk(_ rows: Int) -> UnsafeMutablePointer<Float> { visiblePair + rows * visible }
    func hk(_ rows: Int) -> UnsafeMutablePointer<Float> { hiddenPair + rows * hidden }

    deinit { for p in all { p.deallocate() } }
}

/// Training rows in the unit convention: a cached row-major matrix when it fits in 256 MB,
/// otherwise unpacked from the ensemble batch by batch.
struct RBMRows {
    let data: Ensemble
    let units: RBMUnits
    private let cache: [Float]?

    init(_ data: Ensemble, units: RBMUnits) {
        self.data = data
        self.units = units
        if data.count * data.siteCount <= 1 << 26 {
            var v = data.floatMatrix()
            if units == .binary { for i in v.indices { v[i] = units.fromSpin(v[i]) } }
            cache = v
        } else {
            cache = nil
        }
    }

    /// Copies the samples `indices` into consecutive rows of `out`.
    func fill<C: Collection<Int>>(_ indices: C, into out: UnsafeMutablePointer<Float>) {
        let n = data.siteCount
        for (r, s) in indices.enumerated() {
            let row = out + r * n
            if let cache {
                cache.withUnsafeBufferPointer { row.update(from: $0.baseAddress! + s * n, count: n) }
            } else {
                data.copySample(s, into: row)
                if units == .binary { for i in 0..<n { row[i] = units.fromSpin(row[i]) } }
            }
        }
    }
}
