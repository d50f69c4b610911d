/// N configurations of one lattice geometry with per-sample labels: the value every experiment
/// starts from.
///
/// Spin ensembles (+-1) are bit-packed, one bit per spin (1 = up), each sample starting on a
/// fresh 64-bit word, so 30,000 lattices of 32x32 take 3.9 MB. Continuous ensembles (Kadanoff
/// block averages, autoencoder outputs, RBM means) keep one Float per site.
///
/// Sites are linearised row-major: site (row r, column c) of a `rows x columns` lattice is
/// `r * columns + c`; this is also the column order of `floatMatrix()` that the nets consume.
public struct Ensemble: Sendable {
    /// The lattice shape: `[N]` for a chain, `[rows, columns]` for a 2D lattice (periodic).
    public let shape: [Int]
    /// Sites per sample (the product of `shape`).
    public let siteCount: Int
    /// Per-sample labels; `labels.count` is the number of samples.
    public private(set) var labels: [SampleLabel]
    /// Free-form provenance lines: sampler, thermalisation, measured autocorrelation times.
    public var notes: [String] = []
    /// True when the run was interrupted and the ensemble holds fewer samples than requested.
    public var isPartial = false
    /// The Hamiltonian the samples were drawn from; nil for derived ensembles (coarse-grained,
    /// network outputs), whose energies are measured with the nearest-neighbour form of their shape
    /// (see `energiesPerSpin`).
    public var model: LatticeModel?

    private enum Storage: Sendable {
        case packed([UInt64])
        case continuous([Float])
    }
    private var storage: Storage

    /// 64-bit words per packed sample.
    public var wordsPerSample: Int { (siteCount + 63) / 64 }

    /// Number of samples.
    public var count: Int { labels.count }

    /// True for +-1 spin ensembles, false for continuous configurations.
    public var isSpin: Bool {
        if case .packed = storage { return true }
        return false
    }

    /// Side length for square 2D lattices, nil otherwise.
    public var side: Int? { shape.count == 2 && shape[0] == shape[1] ? shape[0] : nil }

    /// A spin ensemble from packed words (`count * wordsPerSample` words, bit set = spin up).
    public init(shape: [Int], packed words: [UInt64], labels: [SampleLabel]) {
        self.shape = shape
        self.siteCount = shape.reduce(1, *)
        self.labels = labels
        precondition(words.count == labels.count * ((siteCount + 63) / 64), "packed size mismatch")
        self.storage = .packed(words)
    }

    /// A spin ensemble from +-1 values (`labels.count * siteCount` of them, sample-major).
    public init(shape: [Int], spins: [Int8], labels: [SampleLabel]) {
        let n = shape.reduce(1, *)
        let wps = (n + 63) / 64
        precondition(spins.count == labels.count * n, "spin count mismatch")
        var words = [UInt64](repeating: 0, count: labels.count * wps)
        for s in 0..<labels.count {
            for i in 0..<n where spins[s * n + i] > 0 {
                words[s * wps + i >> 6] |= 1 << UInt64(i & 63)
            }
        }
        self.init(shape: shape, packed: words, labels: labels)
    }

    /// A continuous ensemble (`labels.count * siteCount` floats, sample-major).
    public init(shape: [Int], values: [Float], labels: [SampleLabel]) {
        self.shape = shape
        self.siteCount = shape.reduce(1, *)
        self.labels = labels
        precondition(values.count == labels.count * siteCount, "value count mismatch")
        self.storage = .continuous(values)
    }

    /// The packed words of a spin ensemble (nil for continuous ones).
    public var packedWords: [UInt64]? {
        if case .packed(let w) = storage { return w }
        return nil
    }

    /// The values of a continuous ensemble, sample-major (nil for spin ensembles).
    public var continuousValues: [Float]? {
        if case .continuous(let v) = storage { return v }
        return nil
    }

    /// The value at `site` of sample `sample`: +-1 for spins.
    @inline(__always)
    public func value(_ sample: Int, _ site: Int) -> Float {
        switch storage {
        case .packed(let w):
            return (w[sample * wordsPerSample + site >> 6] >> UInt64(site & 63)) & 1 == 1 ? 1 : -1
        case .continuous(let v):
            return v[sample * siteCount + site]
        }
    }

    /// Writes sample `sample` as floats into `out` (siteCount elements).
    public func copySample(_ sample: Int, into out: UnsafeMutablePointer<Float>) {
        switch storage {
        case .packed(let w):
            let base = sample * wordsPerSample
            for i in 0..<siteCount {
                out[i] = (w[base + i >> 6] >> UInt64(i & 63)) & 1 == 1 ? 1 : -1
            }
        case .continuous(let v):
            let base = sample * siteCount
            for i in 0..<siteCount { out[i] = v[base + i] }
        }
    }

    /// Sample `sample` as floats.
    public func sample(_ index: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: siteCount) { buf, n in
            copySample(index, into: buf.baseAddress!)
            n = siteCount
        }
    }

    /// Sample `sample` as +-1 bytes (the sign of continuous values; 0 maps to +1).
    public func spins(_ index: Int) -> [Int8] {
        sample(index).map { $0 >= 0 ? 1 : -1 }
    }

    /// The samples `rows` as a row-major float matrix (row = linearised lattice).
    public func floatMatrix(_ rows: [Int]? = nil) -> [Float] {
        let indices = rows ?? Array(0..<count)
        var out = [Float](repeating: 0, count: indices.count * siteCount)
        out.withUnsafeMutableBufferPointer { buf in
            for (r, s) in indices.enumerated() {
                copySample(s, into: buf.baseAddress! + r * siteCount)
            }
        }
        return out
    }

    /// The start of a note about one temperature ("beta 0.4: tau_int ..."), which `selecting`
    /// keeps only while samples at that beta remain.
    public static func notePrefix(beta: Double) -> String { String(format: "beta %.6g:", beta) }

    /// The notes that still describe samples with `kept` labels: every note, except those about a
    /// temperature none of them has.
    private func notes(about kept: [SampleLabel]) -> [String] {
        let betas = Set(kept.map { Ensemble.notePrefix(beta: $0.beta) })
        return notes.filter { note in
            guard note.hasPrefix("beta "), let colon = note.firstIndex(of: ":") else { return true }
            return betas.contains(String(note[...colon]))
        }
    }

    /// The samples at `indices`, in that order (indices must be in range).
    public func selecting(_ indices: [Int]) -> Ensemble {
        var copy: Ensemble
        switch storage {
        case .packed(let w):
            let wps = wordsPerSample
            var out = [UInt64]()
            out.reserveCapacity(indices.count * wps)
            for i in indices { out.append(contentsOf: w[(i * wps)..<((i + 1) * wps)]) }
            copy = Ensemble(shape: shape, packed: out, labels: indices.map { labels[$0] })
        case .continuous(let v):
            var out = [Float]()
            out.reserveCapacity(indices.count * siteCount)
            for i in indices { out.append(contentsOf: v[(i * siteCount)..<((i + 1) * siteCount)]) }
            copy = Ensemble(shape: shape, values: out, labels: indices.map { labels[$0] })
        }
        copy.notes = notes(about: copy.labels)
        copy.model = model
        copy.isPartial = isPartial
        return copy
    }

    /// The same configurations with new labels (one per sample; a mismatched count keeps the old ones).
    public func relabeled(_ newLabels: [SampleLabel]) -> Ensemble {
        guard newLabels.count == labels.count else { return self }
        var e = self
        e.labels = newLabels
        return e
    }

    /// The samples whose label satisfies `keep`.
    public func filtered(_ keep: (SampleLabel) -> Bool) -> Ensemble {
        selecting(labels.indices.filter { keep(labels[$0]) })
    }

    /// This ensemble followed by `other` (same shape; spin + continuous gives continuous). Models
    /// that differ only in the field join (energies take each sample's `h`); models with different
    /// Hamiltonians (nearest-neighbour and long-range, or two alphas) are refused, since their
    /// energies could not be measured together. Samples of no model (coarse-grained, loaded from
    /// .npy) join only samples whose energy needs no more than nearest-neighbour bonds: the join
    /// has no model. Notes of both are kept.
    public func concatenated(with other: Ensemble) throws(EnsembleError) -> Ensemble {
        guard shape == other.shape else { throw .shapeMismatch(shape, other.shape) }
        var joinedModel: LatticeModel?
        switch (model, other.model) {
        case (.ising?, .ising?), (.chain?, .chain?): joinedModel = model
        case (.longRange(let a)?, .longRange(let b)?) where a == b: joinedModel = model
        case (let a?, let b?): throw .modelMismatch(a, b)
        case (let a?, nil), (nil, let a?):
            // The join has no model, and its energies are the nearest-neighbour ones without field.
            let modelled = model == nil ? other : self
            if case .longRange = a { throw .unknownModel(a, loses: "the long-range couplings") }
            if modelled.labels.contains(where: { $0.h != 0 }) { throw .unknownModel(a, loses: "the field") }
            joinedModel = nil
        case (nil, nil): joinedModel = nil
        }
        var result: Ensemble
        switch (storage, other.storage) {
        case (.packed(let a), .packed(let b)):
            result = Ensemble(shape: shape, packed: a + b, labels: labels + other.labels)
        default:
            result = Ensemble(shape: shape, values: floatMatrix() + other.floatMatrix(),
                              labels: labels + other.labels)
        }
        result.notes = notes + other.notes.filter { !notes.contains($0) }
        result.isPartial = isPartial || other.isPartial
        result.model = joinedModel
        return result
    }

    /// "2000 × 16x16 spins".
    public var shapeDescription: String {
        "\(count) × \(shape.map(String.init).joined(separator: "x")) \(isSpin ? "spins" : "values")"
    }
}

/// Errors from combining ensembles.
public enum EnsembleError: Error, CustomStringConvertible, Sendable {
    case shapeMismatch([Int], [Int])
    case modelMismatch(LatticeModel, LatticeModel)
    /// A sampled model joined with samples of no known model (coarse-grained, or loaded from
    /// .npy), whose energies would lose a term of the model's Hamiltonian.
    case unknownModel(LatticeModel, loses: String)

    public var description: String {
        switch self {
        case .unknownModel(let a, let term):
            return "cannot join samples of \(a.describedHamiltonian) with samples of no known model (coarse-grained, or "
                + "loaded from .npy): the joined energies would lose \(term)"
        case .modelMismatch(let a, let b):
            return "cannot join ensembles of \(a.describedHamiltonian) and \(b.describedHamiltonian): "
                + "their energies need different Hamiltonians"
        case .shapeMismatch(let a, let b):
            let f = { (s: [Int]) in s.map(String.init).joined(separator: "x") }
            return "ensembles have different shapes (\(f(a)) and \(f(b)))"
        }
    }
}
