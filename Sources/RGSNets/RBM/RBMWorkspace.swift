import RGSPhysics

/// Preallocated minibatch buffers of one training run (no allocation inside the batch loop).
final class RBMWorkspace {
    let batch: Int
    /// Data rows v0 and their hidden means <h|v0>.
    let v0, h0: UnsafeMutablePointer<Float>
    /// Hidden samples, visible means and samples of the Gibbs chain, hidden means of its end.
    let hs, vm, vs, hk: UnsafeMutablePointer<Float>
    /// Persistent chains (visible states) for PCD.
    let chains: UnsafeMutablePointer<Float>
    /// Momentum velocities of W, c, b and scratch sums for the bias gradients.
    let velocityW, velocityC, velocityB, sumC, sumB: UnsafeMutablePointer<Float>
    private let all: [UnsafeMutablePointer<Float>]

    init(batch: Int, visible n: Int, hidden m: Int) {
        func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))
            p.initialize(repeating: 0, count: max(1, count))
            return p
        }
        self.batch = batch
        (v0, h0, hs, vm) = (buffer(batch * n), buffer(batch * m), buffer(batch * m), buffer(batch * n))
        (vs, hk, chains) = (buffer(batch * n), buffer(batch * m), buffer(batch * n))
        (velocityW, velocityC, velocityB) = (buffer(n * m), buffer(n), buffer(m))
        (sumC, sumB) = (buffer(n), buffer(m))
        all = [v0, h0, hs, vm, vs, hk, chains, velocityW, velocityC, velocityB, sumC, sumB]
    }

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
