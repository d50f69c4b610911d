import RGSNumerics

/// The samples of an ensemble that share one (beta, h) label: the unit every observable averages over.
public struct LabelGroup: Sendable, Equatable {
    /// Inverse temperature of the group.
    public let beta: Double
    /// External field of the group.
    public let h: Double
    /// Sample indices in the ensemble, in their original (sampling) order.
    public let samples: [Int]

    /// Temperature T = 1 / beta (0 for infinite beta).
    public var temperature: Double { beta.isInfinite ? 0 : 1 / beta }
}

public extension Ensemble {
    /// The distinct (beta, h) labels in order of first appearance, each with its samples.
    func labelGroups() -> [LabelGroup] {
        struct Key: Hashable { let beta: UInt64, h: UInt64 }
        var order = [Key]()
        var members = [Key: [Int]]()
        for (i, label) in labels.enumerated() {
            let key = Key(beta: label.beta.bitPattern, h: label.h.bitPattern)
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(i)
        }
        return order.map { key in
            LabelGroup(beta: Double(bitPattern: key.beta), h: Double(bitPattern: key.h), samples: members[key] ?? [])
        }
    }
}

/// Validation and table layout shared by the observables.
enum ObservableSupport {
    /// Throws unless the ensemble has samples and `bins` allows a jackknife.
    /// Also throws when one (beta, h) group holds samples of different models, such as lattices
    /// joined with their reconstructions: their observables would be averaged together.
    static func validate(_ ensemble: Ensemble, bins: Int) throws {
        guard ensemble.count > 0 else { throw CoreError("the ensemble is empty", hint: "sample some lattices first") }
        guard bins >= 2 else { throw CoreError("bins must be at least 2 (got \(bins))", hint: "the default is 20", argument: "bins") }
        for group in ensemble.labelGroups() {
            let first = ensemble.labels[group.samples[0]].model
            guard let other = group.samples.lazy.map({ ensemble.labels[$0].model }).first(where: { $0 != first }) else { continue }
            throw CoreError("the ensemble mixes \(first) and \(other) samples at T = \(compactNumber(group.temperature)): their observables would be averaged together",
                            hint: "measure each part on its own, e.g. select(d, model: \"\(first)\")")
        }
    }

    /// The label columns beta, T, h for `rows` rows of each group (`rows[g]` rows for group g).
    static func labelColumns(_ groups: [LabelGroup], rows: [Int]) -> [Table.Column] {
        var beta = [Double](), temperature = [Double](), h = [Double]()
        for (g, n) in zip(groups, rows) {
            beta += Array(repeating: g.beta, count: n)
            temperature += Array(repeating: g.temperature, count: n)
            h += Array(repeating: g.h, count: n)
        }
        return [Table.Column("beta", beta), Table.Column("T", temperature), Table.Column("h", h)]
    }

    /// The only group's row of a per-group table, or an error naming the groups.
    static func single<T>(_ groups: [LabelGroup], _ rows: [T], what: String) throws -> T {
        guard groups.count == 1, let row = rows.first else {
            throw CoreError("\(what) needs one (beta, h) label, the ensemble has \(groups.count)",
                            hint: "use the table form, or filter the ensemble by beta first")
        }
        return row
    }
}
