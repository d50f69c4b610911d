import RGSNumerics
import RGSPhysics

/// How an autoencoder flow turns the net's continuous outputs into the next step's input.
public enum FlowResampling: Sendable, Equatable {
    /// Spins s = sign(x) (x = 0 gives +1).
    case sign
    /// Spins drawn with P(s = +1) = (1 + x) / 2 clipped to [0, 1]; sample i of step k draws
    /// from `RandomStream(seed: seed, stream: k << 32 + i)`.
    case sample(seed: UInt64)
    /// The outputs themselves, fed back as a continuous ensemble.
    case continuous
}

extension Network {
    /// Applies the net repeatedly to `data`, feeding each output back as the next input (the
    /// autoencoder paper's AE flow, sec. III.4). Step 0 is `data`; labels are kept, so each step
    /// can be measured against the starting temperature. Ctrl-C returns the steps done so far,
    /// the last one marked partial.
    public func flow(from data: Ensemble, steps: Int, resampling: FlowResampling = .sign) throws(CoreError) -> Flow {
        guard steps >= 0 else { throw CoreError("the number of flow steps must be non-negative (got \(steps))") }
        try checkInput(data)
        try checkOutput(width: data.siteCount, what: "map a lattice to a lattice of the same size to flow")
        var ensembles = [data]
        var partial = false
        let progress = Progress("flow", total: steps, unit: "steps")
        defer { progress.finish() }
        for step in stride(from: 1, through: steps, by: 1) {
            if Cancellation.isRequested {
                ensembles[ensembles.count - 1].isPartial = true
                partial = true
                break
            }
            let current = ensembles[ensembles.count - 1]
            let outputs = try predict(current)
            var next = Network.resample(outputs, like: current, step: step, resampling)
            next.notes = data.notes + ["autoencoder flow step \(step) (\(resampling))"]
            ensembles.append(next)
            progress.advance()
        }
        return Flow(name: "ae", steps: ensembles, isPartial: partial)
    }

    /// The ensemble of `outputs` (rows of `like`'s samples) after resampling.
    static func resample(_ outputs: [Float], like data: Ensemble, step: Int, _ resampling: FlowResampling) -> Ensemble {
        switch resampling {
        case .continuous:
            return Ensemble(shape: data.shape, values: outputs, labels: data.labels)
        case .sign:
            return Ensemble(shape: data.shape, spins: outputs.map { $0 >= 0 ? 1 : -1 }, labels: data.labels)
        case .sample(let seed):
            let n = data.siteCount
            var spins = [Int8](repeating: 0, count: outputs.count)
            for s in 0..<data.count {
                var random = RandomStream(seed: seed, stream: UInt64(step) << 32 + UInt64(s))
                for i in 0..<n {
                    let up = min(max((1 + outputs[s * n + i]) / 2, 0), 1)
                    spins[s * n + i] = random.uniformFloat() < up ? 1 : -1
                }
            }
            return Ensemble(shape: data.shape, spins: spins, labels: data.labels)
        }
    }
}
