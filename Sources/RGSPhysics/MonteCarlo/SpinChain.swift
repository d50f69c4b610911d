import RGSNumerics

/// One Markov chain of one lattice, advanced a sweep at a time: the unit the chain sampler
/// thermalises, measures for its autocorrelation time and snapshots into packed storage.
protocol SpinChain: Sendable {
    /// One sweep: N single-spin attempts, or Wolff clusters until N spins have been flipped.
    mutating func sweep(_ rng: inout RandomStream)
    /// The spins, +-1, row-major.
    var spins: [Int8] { get }
    /// H / N of the current configuration.
    var energyPerSpin: Double { get }
    /// Called once after thermalisation, before any sweep that is measured or sampled: a chain
    /// whose sweep length adapts while thermalising fixes it here.
    mutating func endThermalization(_ rng: inout RandomStream)
}

extension SpinChain {
    mutating func endThermalization(_ rng: inout RandomStream) {}

    /// m = (1/N) sum_i s_i of the current configuration.
    var magnetization: Double {
        spins.withUnsafeBufferPointer { s in
            var sum = 0
            for v in s { sum &+= Int(v) }
            return Double(sum) / Double(s.count)
        }
    }

    /// Writes the configuration as packed words (bit set = spin up) to `words`.
    func pack(into words: UnsafeMutablePointer<UInt64>) {
        spins.withUnsafeBufferPointer { s in
            let n = s.count
            for w in 0..<((n + 63) / 64) {
                var word: UInt64 = 0
                for b in 0..<min(64, n - w * 64) where s[w * 64 + b] > 0 { word |= 1 << UInt64(b) }
                words[w] = word
            }
        }
    }
}

/// The all-aligned start every chain begins from, pointing along the field (up for h = 0).
func alignedStart(count: Int, field: Double) -> [Int8] {
    [Int8](repeating: field < 0 ? -1 : 1, count: count)
}
