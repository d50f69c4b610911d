import Foundation
import RGSNumerics

/// Draws a 2D Ising ensemble (h = 0) from groups of 512 multi-spin replicas.
///
/// Per beta: two scalar checkerboard chains (the same dynamics, one replica each) measure tau_int
/// on a pilot run; then `groups` replica groups are thermalised (default max(1000, 20 tau_int)
/// sweeps) and each takes `snapshots` snapshots of all its replicas, `spacing` sweeps apart, that
/// go straight into packed storage. Group g of beta b draws from stream `1 << 62 | b << 32 | g`.
struct MultiSpinSampler {
    let plan: SamplingPlan

    static let replicas = 512

    /// Groups and snapshots per group for `samples` lattices: at least ~8 groups when there is
    /// work for them (both cores busy and balanced), several snapshots per replica when there are
    /// many samples (thermalisation is paid once per replica).
    static func layout(samples: Int) -> (groups: Int, snapshots: Int) {
        var snapshots = max(1, samples / (replicas * 8))
        var groups = (samples + replicas * snapshots - 1) / (replicas * snapshots)
        if groups > 1 && groups % 2 == 1 {
            groups += 1
            snapshots = (samples + replicas * groups - 1) / (replicas * groups)
        }
        return (groups, snapshots)
    }

    func run(showProgress: Bool) -> Ensemble {
        let plan = plan
        let samples = plan.samplesPerBeta
        let rows = plan.shape[0], columns = plan.shape[1]
        let wps = (plan.siteCount + 63) / 64
        let (groups, snapshots) = Self.layout(samples: samples)

        let times = pilotTimes(showProgress: showProgress)
        let spacings = times.map { plan.spacing ?? $0.spacing }
        let thermalizations = times.map { plan.thermalization ?? max(ChainDefaults.local.thermalization, Int((20 * $0.largest).rounded(.up))) }

        let jobs = plan.betas.count * groups
        var done = [Int](repeating: 0, count: jobs)
        var words = [UInt64](repeating: 0, count: plan.betas.count * samples * wps)
        let totalSweeps = (0..<plan.betas.count).reduce(0) { $0 + groups * (thermalizations[$1] + snapshots * spacings[$1]) }
        let progress = showProgress ? Progress("sampling", total: totalSweeps, unit: "sweeps") : nil
        words.withUnsafeMutableBufferPointer { buffer in
            done.withUnsafeMutableBufferPointer { doneBuffer in
                nonisolated(unsafe) let out = buffer.baseAddress!
                nonisolated(unsafe) let doneRef = doneBuffer.baseAddress!
                Parallel.forEach(jobs) { job in
                    let b = job / groups, g = job % groups
                    var source = RandomStream(seed: plan.seed, stream: 1 << 62 | UInt64(b) << 32 | UInt64(g))
                    var rng = VectorRandom(&source)
                    var lattice = MultiSpinLattice(rows: rows, columns: columns, beta: plan.betas[b])
                    Cancellation.repeating(thermalizations[b]) {
                        lattice.sweep(&rng)
                        progress?.advance()
                    }
                    for t in 0..<snapshots {
                        Cancellation.repeating(spacings[b]) {
                            lattice.sweep(&rng)
                            progress?.advance()
                        }
                        if Cancellation.isRequested { break }
                        let first = (g * snapshots + t) * Self.replicas
                        lattice.pack(into: out + b * samples * wps, wordsPerSample: wps) { r in
                            first + r < samples ? first + r : nil
                        }
                        doneRef[job] = t + 1
                    }
                }
            }
        }
        progress?.finish()

        var ensemble = Ensemble(shape: plan.shape, packed: words, labels: plan.labels(count: samples))
        if done.contains(where: { $0 < snapshots }) {
            var kept = [Int]()
            for b in plan.betas.indices {
                for g in 0..<groups {
                    let end = min(samples, (g * snapshots + done[b * groups + g]) * Self.replicas)
                    let start = g * snapshots * Self.replicas
                    if end > start { kept.append(contentsOf: (b * samples + start)..<(b * samples + end)) }
                }
            }
            ensemble = ensemble.selecting(kept)
            ensemble.isPartial = true
        }
        ensemble.notes.append("\(groups) group\(groups == 1 ? "" : "s") of \(Self.replicas) independent replicas per beta, "
            + "\(snapshots) snapshot(s) per replica; thermalisation "
            + thermalizations.map(String.init).joined(separator: ", ") + " sweeps; tau_int from a pilot of "
            + "2 scalar checkerboard chains per beta (the same dynamics)")
        ensemble.notes += MonteCarlo.autocorrelationNotes(plan, times, spacings, pilotMaximum: ChainDefaults.local.pilot.maximum)
        return ensemble
    }

    /// tau_int per beta from two scalar checkerboard chains thermalised for 1000 sweeps.
    private func pilotTimes(showProgress: Bool) -> [AutocorrelationTimes] {
        let plan = plan, chains = 2
        let lattice = Lattice(shape: plan.shape)
        var times = [AutocorrelationTimes](repeating: .init(absMagnetization: 0.5, energy: 0.5),
                                           count: plan.betas.count * chains)
        let progress = showProgress ? Progress("measuring tau_int", total: times.count, unit: "chains") : nil
        times.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer.baseAddress!
            Parallel.forEach(buffer.count) { job in
                let b = job / chains
                var rng = RandomStream(seed: plan.seed, stream: 1 << 61 | UInt64(b) << 32 | UInt64(job % chains))
                var chain = SingleSpinChain(lattice: lattice, beta: plan.betas[b], field: 0, checkerboard: true)
                Cancellation.repeating(ChainDefaults.local.thermalization) { chain.sweep(&rng) }
                let pilot = ChainDefaults.local.pilot
                out[job] = AutocorrelationTimes.pilot(&chain, &rng, minimum: pilot.minimum, maximum: pilot.maximum)
                progress?.advance()
            }
        }
        progress?.finish()
        return plan.betas.indices.map { b in AutocorrelationTimes.mean(Array(times[(b * chains)..<((b + 1) * chains)])) }
    }
}
