import Foundation
import RGSNumerics

/// Integrated autocorrelation times of |m| and e (in sweeps) measured on a pilot run.
struct AutocorrelationTimes: Sendable {
    var absMagnetization: Double
    var energy: Double

    /// The larger of the two.
    var largest: Double { max(absMagnetization, energy) }

    /// The mean over several chains at one temperature.
    static func mean(_ times: [AutocorrelationTimes]) -> AutocorrelationTimes {
        AutocorrelationTimes(absMagnetization: Statistics.mean(times.map(\.absMagnetization)),
                             energy: Statistics.mean(times.map(\.energy)))
    }

    /// Sweeps between samples of one chain: at least 2 tau_int.
    var spacing: Int { max(1, Int((2 * largest).rounded(.up))) }

    /// Runs `chain` for a pilot of at least `minimum` sweeps, recording |m| and e after every
    /// sweep, and doubles the pilot until it spans 100 tau_int or `maximum` sweeps.
    static func pilot<Chain: SpinChain>(_ chain: inout Chain, _ rng: inout RandomStream,
                                        minimum: Int, maximum: Int) -> AutocorrelationTimes {
        var m = [Double](), e = [Double]()
        var length = minimum
        while true {
            while m.count < length && !Cancellation.isRequested {
                chain.sweep(&rng)
                m.append(abs(chain.magnetization))
                e.append(chain.energyPerSpin)
            }
            let times = AutocorrelationTimes(absMagnetization: Statistics.autocorrelationTime(m),
                                             energy: Statistics.autocorrelationTime(e))
            if Double(length) >= 100 * times.largest || length >= maximum || Cancellation.isRequested {
                return times
            }
            length = min(maximum, 2 * length)
        }
    }
}
