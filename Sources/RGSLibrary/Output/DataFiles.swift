import Foundation
import RGSIO
import RGSNumerics
import RGSPhysics

/// How values become .npy/.npz/CSV files and back.
///
/// Ensembles are int8 arrays of shape (samples, rows, columns) (or (samples, N) for chains; float32
/// for continuous ensembles); in .npz beside them go the label arrays beta, T, h (float64) and seed
/// (uint64 as int64), and metadata.json with kind "ensemble", model, notes and the partial flag.
/// Matrices are float64 (rows, columns); Tables float64 columns (NAME_err for errors) or CSV.
enum DataFiles {
    /// The .npy array of a value (Ensemble, Matrix, Table, list of numbers). Spins are unpacked
    /// from the packed words directly (a 90 000 x 64x64 ensemble in well under a second), and a
    /// Ctrl-C stops the copy (`Cancelled`: the save writes nothing and the old file stays).
    static func array(_ ensemble: Ensemble) throws -> NpyArray {
        let shape = [ensemble.count] + ensemble.shape
        guard let words = ensemble.packedWords else {
            try Cancellation.check()
            return try NpyArray(ensemble.floatMatrix(), shape: shape)
        }
        let sites = ensemble.siteCount, perSample = ensemble.wordsPerSample
        var bytes = [Int8](repeating: 0, count: ensemble.count * sites)
        try bytes.withUnsafeMutableBufferPointer { out throws(Cancelled) in
            try words.withUnsafeBufferPointer { (w: UnsafeBufferPointer<UInt64>) throws(Cancelled) in
                for s in 0..<ensemble.count {
                    if s & 1023 == 0 { try Cancellation.check() }
                    let row = out.baseAddress! + s * sites, base = s * perSample
                    for i in 0..<sites { row[i] = (w[base + i >> 6] >> UInt64(i & 63)) & 1 == 1 ? 1 : -1 }
                }
            }
        }
        try Cancellation.check()
        return try NpyArray(bytes, shape: shape)
    }

    /// An ensemble with its labels and provenance as an archive.
    static func archive(_ ensemble: Ensemble) throws -> Npz {
        let labels = ensemble.labels
        let meta: [String: Any] = ["kind": "ensemble", "shape": ensemble.shape, "models": labels.map(\.model),
                                   "notes": ensemble.notes, "partial": ensemble.isPartial,
                                   "model": ensemble.model.map(describe) ?? ""]
        return Npz(arrays: [
            ("spins", try array(ensemble)),
            ("beta", NpyArray(vector: labels.map(\.beta))),
            ("T", NpyArray(vector: labels.map(\.temperature))),
            ("h", NpyArray(vector: labels.map(\.h))),
            ("seed", NpyArray(vector: labels.map { Int64(bitPattern: $0.seed) })),
        ], metadata: json(meta))
    }

    /// The ensemble stored in an archive written by `archive(_:)`, or an int8/float array.
    static func ensemble(_ npz: Npz, file: String) throws -> Ensemble {
        guard let spins = npz["spins"] else { throw CoreError("'\(file)' has no array 'spins'") }
        let meta = try metadata(npz, file: file)
        var e = try ensemble(spins, file: file)
        let n = e.count
        let beta = npz["beta"]?.doubles() ?? [], h = npz["h"]?.doubles() ?? []
        let seeds = npz["seed"]?.values(as: Int64.self) ?? []
        let models = meta["models"] as? [String] ?? []
        guard beta.count == n || beta.isEmpty, h.count == n || h.isEmpty, seeds.count == n || seeds.isEmpty else {
            throw CoreError("'\(file)': the label arrays do not match the \(n) samples")
        }
        let labels = (0..<n).map { i in
            SampleLabel(beta: beta.isEmpty ? .nan : beta[i], h: h.isEmpty ? 0 : h[i],
                        model: i < models.count ? models[i] : SampleLabel.loaded, seed: seeds.isEmpty ? 0 : UInt64(bitPattern: seeds[i]))
        }
        e = e.relabeled(labels)
        e.notes = meta["notes"] as? [String] ?? []
        e.isPartial = meta["partial"] as? Bool ?? false
        e.model = (meta["model"] as? String).flatMap(model(from:))
        return e
    }

    /// An integer array of +-1 values (spins) or a float array, with a sample axis first, as an ensemble.
    static func ensemble(_ a: NpyArray, file: String) throws -> Ensemble {
        // No samples is fine (an empty ensemble saves and loads back); empty lattices are not.
        guard a.shape.count == 2 || a.shape.count == 3, a.shape.dropFirst().allSatisfy({ $0 > 0 }) else {
            throw CoreError("'\(file)': an ensemble needs shape (samples, N) or (samples, rows, columns), got \(NpyArray.describe(a.shape))")
        }
        let shape = Array(a.shape.dropFirst()), n = a.shape[0]
        // With no samples the array's element count is 0 whatever the lattice: its sites are
        // checked on their own.
        guard let sites = try? NpyArray.elementCount(shape), sites <= Int(Int32.max) else {
            throw CoreError("'\(file)': a lattice of \(NpyArray.describe(shape)) sites is too large (at most 2^31 - 1 sites)")
        }
        let labels = [SampleLabel](repeating: SampleLabel(beta: .nan, model: SampleLabel.loaded), count: n)
        switch integers(a) {
        case .spins(let spins): return Ensemble(shape: shape, spins: spins, labels: labels)
        case .occupations:
            throw CoreError("'\(file)': integer spins must be +1 or -1, and these are 0 or 1",
                            hint: "map 0/1 to spins in numpy: (2 * s - 1).astype(np.int8)")
        case .other where a.dtype == .int8: throw CoreError("'\(file)': int8 spins must be +1 or -1")
        case .other: break
        }
        let values = a.doubles().map(Float.init)
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            let sites = shape.reduce(1, *)
            throw CoreError("'\(file)': the array holds a value that is NaN, infinite or beyond float32 (sample \(bad / sites), site \(bad % sites))",
                            hint: "lattice values must be finite numbers; clean them in numpy first (e.g. np.nan_to_num)")
        }
        // Observables read values as spins (or their block averages) in [-1, 1]; an AE's linear
        // output may overshoot a little, data on another scale is likely a mistake: say so.
        if let largest = values.lazy.map(\.magnitude).max(), largest > 1.5 {
            Notice.write(["'\(file)' holds values up to \(compactNumber(Double(largest))) in size, where spins and their averages lie in [-1, 1]: "
                          + "energies and magnetisations read them at that scale (rescale in numpy, e.g. 2 * x - 1 for values in [0, 1])"])
        }
        return Ensemble(shape: shape, values: values, labels: labels)
    }

    /// Whether an array looks like spins: integers that are all +-1 (or no samples), on two or
    /// three axes.
    static func isSpinArray(_ a: NpyArray) -> Bool {
        guard a.shape.count == 2 || a.shape.count == 3, case .spins = integers(a, keepingSpins: false) else { return false }
        return true
    }

    /// What an integer array (int8 as rgs saves spins, or another integer type numpy code uses)
    /// holds: spins when every value is +-1 (an empty array too), 0/1 occupations, or other values.
    private enum Integers {
        case spins([Int8]), occupations, other
    }

    /// The `Integers` of `a` (`other` for float arrays); `keepingSpins` false leaves the spins
    /// array empty, for a caller that only asks which kind it is.
    private static func integers(_ a: NpyArray, keepingSpins: Bool = true) -> Integers {
        func kind<T: BinaryInteger>(_ values: [T]?) -> Integers {
            guard let values else { return .other }
            if values.allSatisfy({ $0 == 1 || $0 == -1 }) { return .spins(keepingSpins ? values.map { $0 > 0 ? 1 : -1 } : []) }
            return values.allSatisfy { $0 == 0 || $0 == 1 } ? .occupations : .other
        }
        switch a.dtype {
        case .int8: return kind(a.values(as: Int8.self))
        case .int16: return kind(a.values(as: Int16.self))
        case .int32: return kind(a.values(as: Int32.self))
        case .int64: return kind(a.values(as: Int64.self))
        default: return .other
        }
    }

    /// An archive's metadata.json as a dictionary: empty when there is none, an error when it is
    /// present but not a JSON object (a damaged file must not load as something else).
    static func metadata(_ npz: Npz, file: String) throws -> [String: Any] {
        guard let text = npz.metadata else { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw CoreError("cannot load '\(file)': its metadata.json is not a valid JSON object")
        }
        return object
    }

    static func json(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private static func describe(_ model: LatticeModel) -> String {
        switch model {
        case .ising(let h): "ising h=\(h)"
        case .chain(let h): "ising1d h=\(h)"
        case .longRange(let alpha): "longrange alpha=\(alpha)"
        }
    }

    private static func model(from text: String) -> LatticeModel? {
        let parts = text.split(separator: " ")
        guard parts.count == 2, let value = Double(parts[1].split(separator: "=").last ?? "") else { return nil }
        switch parts[0] {
        case "ising": return .ising(h: value)
        case "ising1d": return .chain(h: value)
        case "longrange": return .longRange(alpha: value)
        default: return nil
        }
    }
}
