/// What one lattice in an ensemble was drawn from: inverse temperature, field, model and seed.
public struct SampleLabel: Sendable, Equatable {
    /// Inverse temperature; `.infinity` for T = 0.
    public var beta: Double
    /// External field.
    public var h: Double
    /// Model name: "ising", "ising1d", "longrange", or a derived name such as "decimate(ising)".
    public var model: String
    /// The seed of the stream the sample came from.
    public var seed: UInt64

    public init(beta: Double, h: Double = 0, model: String, seed: UInt64 = 0) {
        self.beta = beta
        self.h = h
        self.model = model
        self.seed = seed
    }

    /// The label of a sample derived from this one by `operation` (an RG rule, a reconstruction):
    /// same beta, h and seed, model "operation(model)".
    public func derived(by operation: String) -> SampleLabel {
        var l = self
        l.model = "\(operation)(\(model))"
        return l
    }

    /// The model name of samples read from a file without labels (.npy, or .npz without models).
    public static let loaded = "loaded"

    /// The model the sample was first drawn from: "longrange" for "majority(rbm(longrange))".
    public var baseModel: Substring {
        (model.split(separator: "(").last ?? Substring(model)).prefix { $0 != ")" }
    }

    /// Temperature T = 1 / beta (0 for infinite beta).
    public var temperature: Double { beta.isInfinite ? 0 : 1 / beta }
}

extension Array where Element == SampleLabel {
    /// Every label derived by `operation` (`SampleLabel.derived(by:)`). Runs of samples share a
    /// model, so each run's new name is built once and shared: building it per sample (an
    /// allocation each once the name outgrows 15 bytes) took a third of an RG step on spins.
    public func derived(by operation: String) -> [SampleLabel] {
        var last: (model: String, derived: String)?
        return map { label in
            var l = label
            if let last, last.model == label.model {
                l.model = last.derived
            } else {
                l = label.derived(by: operation)
                last = (label.model, l.model)
            }
            return l
        }
    }
}
