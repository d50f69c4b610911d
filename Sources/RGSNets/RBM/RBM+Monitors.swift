import Foundation
import RGSNumerics

extension RBM {
    /// The epoch's monitors on fixed training rows and (if any) validation rows, unit convention.
    func monitor(epoch: Int, training: [Float], validation: [Float]?, seed: UInt64) -> RBMEpochReport {
        var stream = RandomStream(seed: seed, stream: RBMStreams.monitor(epoch: epoch))
        let key = stream.next()
        let trainingEnergy = (try? freeEnergies(visible: training)) ?? []
        var gap: Double?
        if let validation, let validationEnergy = try? freeEnergies(visible: validation) {
            gap = mean(validationEnergy) - mean(trainingEnergy)
        }
        return RBMEpochReport(epoch: epoch,
                              reconstructionError: reconstructionError(training, key: key),
                              pseudoLikelihood: pseudoLikelihood(training, energies: trainingEnergy, key: key),
                              freeEnergyGap: gap)
    }

    /// Mean (v - <v | h>)^2 per unit with h drawn from p(h | v), scaled to a unit range of 1.
    func reconstructionError(_ v: [Float], key: UInt64) -> Double {
        let n = visibleCount, m = hiddenCount, rows = v.count / n
        var h = [Float](repeating: 0, count: rows * m), hs = h
        var back = [Float](repeating: 0, count: rows * n)
        v.withUnsafeBufferPointer { vp in
            h.withUnsafeMutableBufferPointer { hp in
                hs.withUnsafeMutableBufferPointer { sp in
                    hiddenMeans(vp.baseAddress!, rows: rows, into: hp.baseAddress!,
                                draw: RBMDraw(key: key, step: 0, into: sp.baseAddress!))
                    back.withUnsafeMutableBufferPointer { visibleMeans(sp.baseAddress!, rows: rows, into: $0.baseAddress!) }
                }
            }
        }
        var sum = 0.0
        for i in v.indices { sum += Double((v[i] - back[i]) * (v[i] - back[i])) }
        let range = Double(1 - units.low)
        return sum / Double(v.count) / (range * range)
    }

    /// n * mean over rows of log sigmoid(F(v flipped at one random unit) - F(v)).
    func pseudoLikelihood(_ v: [Float], energies: [Double], key: UInt64) -> Double {
        let n = visibleCount, rows = v.count / n
        guard energies.count == rows else { return .nan }
        var flipped = v
        var stream = RandomStream(seed: key, stream: RBMStreams.row(step: 1, row: 0))
        for r in 0..<rows {
            let i = r * n + stream.below(n)
            flipped[i] = units == .pm1 ? -flipped[i] : 1 - flipped[i]
        }
        guard let flippedEnergies = try? freeEnergies(visible: flipped) else { return .nan }
        var sum = 0.0
        for r in 0..<rows {
            let x = flippedEnergies[r] - energies[r]
            sum += x >= 0 ? -log1p(exp(-x)) : x - log1p(exp(x))
        }
        return Double(n) * sum / Double(rows)
    }

    private func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(max(1, x.count)) }
}
