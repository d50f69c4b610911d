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

    /// Temperature T = 1 / beta (0 for infinite beta).
    public var temperature: Double { beta.isInfinite ? 0 : 1 / beta }
}
