import Foundation
import Synchronization

/// A measurement whose error is kept as its parts from independent sources (d value / d source
/// x sigma of the source), so arithmetic propagates errors to first order with the correlations
/// it creates: x - x is exactly 0, x + x has error 2 sigma, (a + b) - b is a. Each measurement
/// that enters (an observable's result, a typed one) is a new source; a number is exact.
/// Two measurements of the same samples taken separately are separate sources, so their
/// correlation is not known: their combination's error is then only an estimate.
public struct TrackedMeasurement: Sendable {
    public let value: Double
    /// The error's part from each source; an exact value has none.
    public let parts: [UInt64: Double]

    /// `m` as a new source (an exact value when its error is 0).
    public init(_ m: Measurement) {
        value = m.value
        parts = m.error == 0 ? [:] : [Self.newSource(): m.error]
    }

    /// An exact number.
    public init(exact x: Double) {
        value = x
        parts = [:]
    }

    /// A result; beyond `maximumSources` its parts merge into one new source with their error,
    /// so a loop that adds 100,000 measurements stays linear (the result then forgets its
    /// correlation with the measurements it came from; its own identity remains).
    private init(value: Double, parts: [UInt64: Double]) {
        self.value = value
        self.parts = parts.count > Self.maximumSources ? [Self.newSource(): Self.quadratureSum(parts)] : parts
    }

    /// The most sources a result keeps apart.
    public static let maximumSources = 1000

    /// The one-sigma error, the parts added in quadrature, in the order of their sources (a
    /// dictionary's order changes from run to run, and with it the last bits of a sum), scaled
    /// by the largest so that parts beyond 1e154 do not overflow.
    public var error: Double { Self.quadratureSum(parts) }

    private static func quadratureSum(_ parts: [UInt64: Double]) -> Double {
        let sorted = parts.sorted { $0.key < $1.key }.map(\.value)
        if sorted.contains(where: \.isNaN) { return .nan }
        let largest = sorted.reduce(0) { Swift.max($0, Swift.abs($1)) }
        guard largest > 0, largest.isFinite else { return largest }
        return largest * sorted.reduce(0) { $0 + ($1 / largest) * ($1 / largest) }.squareRoot()
    }

    /// The plain value and error.
    public var measurement: Measurement { Measurement(value, error: error) }

    private static let sources = Mutex<UInt64>(0)

    private static func newSource() -> UInt64 {
        sources.withLock { next in
            next += 1
            return next
        }
    }

    /// f(self) with f'(self) = `slope`: each part scaled. A part of 0 stays 0 (an exact input is
    /// not 0 x inf = nan where f' diverges), and so does any part under a slope of 0 (x^0 is the
    /// constant 1 even for an unbounded error).
    public func mapped(to value: Double, slope: Double) -> TrackedMeasurement {
        TrackedMeasurement(value: value, parts: parts.mapValues { $0 == 0 || slope == 0 ? 0 : slope * $0 })
    }

    /// f(self, other) with partial derivatives `bySelf` and `byOther`: the parts of a shared
    /// source add before they are squared.
    public func combined(with other: TrackedMeasurement, to value: Double,
                         bySelf: Double, byOther: Double) -> TrackedMeasurement {
        var parts = mapped(to: value, slope: bySelf).parts
        for (source, part) in other.parts where part != 0 && byOther != 0 { parts[source, default: 0] += byOther * part }
        return TrackedMeasurement(value: value, parts: parts)
    }

    /// The sum of `items`, their parts gathered in one pass (not one copy per term).
    public static func sum(_ items: [TrackedMeasurement]) -> TrackedMeasurement {
        var parts = [UInt64: Double]()
        for item in items {
            for (source, part) in item.parts { parts[source, default: 0] += part }
        }
        return TrackedMeasurement(value: items.reduce(0) { $0 + $1.value }, parts: parts)
    }

    public static func + (a: TrackedMeasurement, b: TrackedMeasurement) -> TrackedMeasurement {
        a.combined(with: b, to: a.value + b.value, bySelf: 1, byOther: 1)
    }

    public static func - (a: TrackedMeasurement, b: TrackedMeasurement) -> TrackedMeasurement {
        a.combined(with: b, to: a.value - b.value, bySelf: 1, byOther: -1)
    }

    public static func * (a: TrackedMeasurement, b: TrackedMeasurement) -> TrackedMeasurement {
        a.combined(with: b, to: a.value * b.value, bySelf: b.value, byOther: a.value)
    }

    public static func / (a: TrackedMeasurement, b: TrackedMeasurement) -> TrackedMeasurement {
        let q = a.value / b.value
        return a.combined(with: b, to: q, bySelf: 1 / b.value, byOther: -q / b.value)
    }

    /// a^b: d/da = b a^(b-1), d/db = a^b ln a (each only where its side has an error, so an
    /// exact 0^b is not 0 x inf = nan; a^b ln a -> 0 as a^b -> 0; an exact exponent 0 gives the
    /// constant 1, also at a = 0, where b a^(b-1) would be 0 x inf).
    public func power(_ b: TrackedMeasurement) -> TrackedMeasurement {
        let p = Foundation.pow(value, b.value)
        let byBase = parts.isEmpty || b.value == 0 ? 0 : b.value * Foundation.pow(value, b.value - 1)
        let byExponent = b.parts.isEmpty || p == 0 ? 0 : p * Foundation.log(value)
        return combined(with: b, to: p, bySelf: byBase, byOther: byExponent)
    }
}
