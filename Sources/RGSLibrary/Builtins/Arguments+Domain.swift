import RGSLanguage
import RGSNumerics
import RGSPhysics

/// Typed access to the domain values the builtins take, with the same phrasing everywhere.
extension Arguments {
    /// The Ensemble argument `name`.
    func ensemble(_ name: String) throws -> Ensemble {
        guard let e = value(name)?.object(EnsembleValue.self) else {
            throw error("`\(name)` must be an Ensemble, got \(withArticle(value(name)?.typeName ?? "nil"))", at: name)
        }
        return e.ensemble
    }

    /// A positive integer argument (sizes, counts, steps...).
    func positiveInt(_ name: String) throws -> Int {
        let n = try int(name)
        guard n > 0 else { throw error("`\(name)` must be positive (got \(n))", at: name) }
        return n
    }

    /// A non-negative integer argument.
    func countInt(_ name: String) throws -> Int {
        let n = try int(name)
        guard n >= 0 else { throw error("`\(name)` must be >= 0 (got \(n))", at: name) }
        return n
    }

    /// A number argument that training keeps as a 32-bit float (rates, momenta, penalties): an
    /// error, located at the argument, when the float would be infinite, or zero for a number
    /// that is not, instead of a confusing "got inf" or "got 0.0" later.
    func float32(_ name: String) throws -> Float {
        let x = try number(name)
        let f = Float(x)
        guard !x.isFinite || f.isFinite else {
            throw error("`\(name)` is too large in size for a 32-bit float (|x| at most 3.4e38, got \(formatNumber(x)))", at: name)
        }
        guard x == 0 || f != 0 else {
            throw error("`\(name)` is too small in size for a 32-bit float (|x| at least 1.4e-45 unless 0, got \(formatNumber(x)))", at: name)
        }
        return f
    }

    /// `lr:` as a positive, finite 32-bit learning rate; nil when the call does not give it.
    func learningRate() throws -> Float? {
        guard let rate = try optionalNumber("lr") else { return nil }
        guard rate > 0, rate.isFinite else {
            throw error("lr must be a positive number (got \(formatNumber(rate)))", at: "lr", hint: "e.g. lr: 0.0001")
        }
        return try float32("lr")
    }

    /// The seed argument, or the next seed of the default sequence when omitted.
    func seed(_ name: String = "seed") throws -> UInt64 {
        guard has(name) else { return Settings.nextSeed() }
        let n = try int(name)
        guard n >= 0 else { throw error("seed must be non-negative (got \(n))", at: name) }
        return UInt64(n)
    }
}

extension Value {
    static func ensemble(_ e: Ensemble) -> Value { .object(EnsembleValue(ensemble: e)) }
    /// A Matrix value; weights and correlators pass their `title` and `signed: true` for `plot`.
    static func matrix(_ m: Matrix, title: String? = nil, signed: Bool = false) -> Value {
        .object(MatrixValue(matrix: m, title: title, isSigned: signed))
    }
    static func table(_ t: Table) -> Value { .object(TableValue(table: t)) }
    static func measurement(_ m: Measurement) -> Value { .object(MeasurementValue(measurement: m)) }
    static func flow(_ f: Flow) -> Value { .object(FlowValue(flow: f)) }
}
