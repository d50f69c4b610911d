import RGSNumerics

/// A chain that moves by flipping whole clusters (Wolff), with sweeps counted in clusters.
///
/// While thermalising, a sweep runs clusters until N spins have flipped; afterwards it is a fixed
/// number of clusters, N / (mean cluster size) measured while thermalising, so spacing and
/// autocorrelation times are in units comparable with a Metropolis sweep. (Stopping at a
/// size-dependent time once samples are taken would bias the snapshots towards the
/// configurations that follow large clusters.)
///
/// At beta = 0 every cluster is one spin and N single flips per sweep keep the parity of the
/// number of up spins (L = 4 gave |m| = 0.1845 against 0.1964), so there a sweep draws every
/// spin afresh: the exact infinite-temperature ensemble.
protocol ClusterChain: SpinChain {
    var spins: [Int8] { get set }
    var sweeps: ClusterSweeps { get set }
    /// Grows and flips one cluster; returns its size.
    mutating func flipCluster(_ rng: inout RandomStream) -> Int
}

/// The cluster count of a `ClusterChain`: clusters per sweep once thermalised, and the mean
/// cluster size while thermalising.
struct ClusterSweeps: Sendable {
    /// Clusters per sweep once thermalised (nil while thermalising).
    private(set) var clustersPerSweep: Int?
    private(set) var clusters = 0
    private var flippedSpins = 0
    let infiniteTemperature: Bool

    init(beta: Double) { infiniteTemperature = beta == 0 }

    mutating func record(clusterSize: Int) {
        clusters += 1
        flippedSpins += clusterSize
    }

    mutating func fix(sites: Int) {
        clustersPerSweep = max(1, Int((Double(sites) * Double(clusters) / Double(flippedSpins)).rounded()))
    }
}

extension ClusterChain {
    mutating func sweep(_ rng: inout RandomStream) {
        if sweeps.infiniteTemperature {
            for i in spins.indices { spins[i] = rng.next() >> 63 == 0 ? 1 : -1 }
            return
        }
        if let fixed = sweeps.clustersPerSweep {
            for _ in 0..<fixed { _ = flipCluster(&rng) }
            return
        }
        var flipped = 0
        while flipped < spins.count {
            let size = flipCluster(&rng)
            flipped += size
            sweeps.record(clusterSize: size)
        }
    }

    /// Enough clusters for a stable mean size (also when thermalisation was 0 sweeps), then the
    /// sweep length is fixed.
    mutating func endThermalization(_ rng: inout RandomStream) {
        while sweeps.clusters < 100 { sweeps.record(clusterSize: flipCluster(&rng)) }
        sweeps.fix(sites: spins.count)
    }
}
