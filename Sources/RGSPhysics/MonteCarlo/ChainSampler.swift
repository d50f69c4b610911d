import Foundation
import RGSNumerics

/// Draws an ensemble from independent single-lattice chains: `chainsPerBeta` chains per
/// temperature, each thermalised, measured on a pilot run for tau_int, then sampled every
/// `spacing` sweeps straight into packed storage.
///
/// Chain c at beta index b draws from stream `b << 32 | c` of the seed, so the ensemble is the
/// same for any thread count. Samples of one beta are stored chain after chain.
struct ChainSampler<Chain: SpinChain> {
    let plan: SamplingPlan
    /// Thermalisation and pilot sweeps by default (the plan may set the thermalisation).
    let sweeps: ChainSweeps
    let makeChain: @Sendable (_ beta: Double) -> Chain

    private struct Slot {
        var chain: Chain
        var rng: RandomStream
        var times: AutocorrelationTimes
        var drawn = 0
    }

    func run(showProgress: Bool) -> (ensemble: Ensemble, times: [AutocorrelationTimes], spacings: [Int]) {
        let samples = plan.samplesPerBeta
        let chains = min(samples, ChainDefaults.chainsPerBeta)
        let jobs = plan.betas.count * chains
        let thermalization = plan.thermalization ?? sweeps.thermalization
        let wps = (plan.siteCount + 63) / 64

        let slots = UnsafeMutablePointer<Slot>.allocate(capacity: jobs)
        defer {
            slots.deinitialize(count: jobs)
            slots.deallocate()
        }
        nonisolated(unsafe) let slotRef = slots
        let plan = plan, makeChain = makeChain, pilot = sweeps.pilot

        // Phase 1: thermalise and measure tau_int on every chain.
        let warmup = showProgress ? Progress("thermalising", total: jobs, unit: "chains") : nil
        Parallel.forEach(jobs) { job in
            let b = job / chains, c = job % chains
            var rng = RandomStream(seed: plan.seed, stream: UInt64(b) << 32 | UInt64(c))
            var chain = makeChain(plan.betas[b])
            Cancellation.repeating(thermalization) { chain.sweep(&rng) }
            chain.endThermalization(&rng)
            let times = AutocorrelationTimes.pilot(&chain, &rng, minimum: pilot.minimum, maximum: pilot.maximum)
            (slotRef + job).initialize(to: Slot(chain: chain, rng: rng, times: times))
            warmup?.advance()
        }
        warmup?.finish()

        let times = (0..<plan.betas.count).map { b in
            AutocorrelationTimes.mean((0..<chains).map { slots[b * chains + $0].times })
        }
        let spacings = times.map { plan.spacing ?? $0.spacing }

        // Phase 2: chain c of beta b fills samples [first(c), first(c + 1)) of that beta.
        let first = (0...chains).map { c in c * (samples / chains) + min(c, samples % chains) }
        var words = [UInt64](repeating: 0, count: plan.betas.count * samples * wps)
        let drawing = showProgress ? Progress("sampling", total: plan.betas.count * samples, unit: "samples") : nil
        words.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer.baseAddress!
            Parallel.forEach(jobs) { job in
                let b = job / chains, c = job % chains
                var slot = slotRef[job]
                for k in first[c]..<first[c + 1] {
                    Cancellation.repeating(spacings[b]) { slot.chain.sweep(&slot.rng) }
                    if Cancellation.isRequested { break }
                    slot.chain.pack(into: out + (b * samples + k) * wps)
                    slot.drawn += 1
                    drawing?.advance()
                }
                slotRef[job] = slot
            }
        }
        drawing?.finish()

        // Keep the samples every chain finished (all of them unless interrupted).
        var kept = [Int]()
        for b in plan.betas.indices {
            for c in 0..<chains {
                let base = b * samples + first[c]
                kept.append(contentsOf: base..<(base + slots[b * chains + c].drawn))
            }
        }
        let labels = plan.labels(count: samples)
        var ensemble = Ensemble(shape: plan.shape, packed: words, labels: labels)
        if kept.count < labels.count {
            ensemble = ensemble.selecting(kept)
            ensemble.isPartial = true
        }
        return (ensemble, times, spacings)
    }
}

/// Fixed sampler settings (never derived from the thread count).
enum ChainDefaults {
    /// Chains per temperature.
    static let chainsPerBeta = 8
    /// Local updates (Metropolis, heat bath, the multi-spin pilot): 1000 sweeps, then a pilot
    /// of 2000+ (near T_c their tau_int reaches hundreds of sweeps at L = 64).
    static let local = ChainSweeps(thermalization: 1000, pilot: (2000, 32000))

    /// The sweeps of a chain of `algorithm` before it samples: `local`, or for Wolff 200 and a
    /// pilot of 400+. A Wolff sweep (N / <cluster size> clusters) decorrelates in about one
    /// (tau_int 1.0-1.3 for the long-range model at T_c, L = 64), so those are still hundreds
    /// of tau_int; the local counts were 94% of the work of 500 samples.
    static func sweeps(_ algorithm: SamplerAlgorithm) -> ChainSweeps {
        algorithm == .wolff ? ChainSweeps(thermalization: 200, pilot: (400, local.pilot.maximum)) : local
    }
}

/// A chain's default thermalisation sweeps and pilot bounds in sweeps: at least the minimum,
/// extended to 100 tau_int up to the maximum.
struct ChainSweeps: Sendable {
    let thermalization: Int
    let pilot: (minimum: Int, maximum: Int)
}

extension SamplingPlan {
    /// Labels of `perBeta` samples at each beta, in beta order.
    func labels(count perBeta: Int) -> [SampleLabel] {
        var labels = [SampleLabel]()
        labels.reserveCapacity(betas.count * perBeta)
        for beta in betas {
            let label = SampleLabel(beta: beta, h: model.field, model: model.name, seed: seed)
            labels.append(contentsOf: repeatElement(label, count: perBeta))
        }
        return labels
    }
}
