import RGSNumerics

/// A number with its statistical error, as observables return it: prints as `0.5123 ± 0.0021`.
/// Arithmetic (`+ - * / ^`), the elementary functions, `sum`, `mean`, `min` and `max` take it,
/// errors propagated to first order by source (`TrackedMeasurement`): x - x is exactly 0.
public struct MeasurementValue: HostObject {
    public let tracked: TrackedMeasurement

    /// `measurement` as a new source of error.
    public init(measurement: Measurement) { tracked = TrackedMeasurement(measurement) }

    /// The result of arithmetic on measurements.
    public init(tracked: TrackedMeasurement) { self.tracked = tracked }

    /// The value and its error.
    public var measurement: Measurement { tracked.measurement }

    public var kindName: String { "Measurement" }
    public var summary: String { measurement.description }
    public var memberNames: [String] { ["value", "error"] }
    public func member(_ name: String) -> Value? {
        switch name {
        case "value": return .number(measurement.value)
        case "error": return .number(measurement.error)
        default: return nil
        }
    }
    public func numbers() -> [Double]? { [measurement.value] }
    public func isEqual(to other: any HostObject) -> Bool { (other as? MeasurementValue)?.measurement == measurement }

    /// `+ - * / ^` with a number or another measurement (`TrackedMeasurement` arithmetic).
    public func arithmetic(_ op: ArithmeticOperator, _ other: Value, selfOnLeft: Bool) throws -> Value? {
        guard let o = MeasurementValue.tracked(other) else { return nil }
        let (a, b) = selfOnLeft ? (tracked, o) : (o, tracked)
        let result: TrackedMeasurement
        switch op {
        case .add: result = a + b
        case .subtract: result = a - b
        case .multiply: result = a * b
        case .divide: result = a / b
        case .power: result = a.power(b)
        }
        return .object(MeasurementValue(tracked: result))
    }

    /// A number as an exact measurement, a measurement as itself; nil for anything else.
    public static func measurement(_ v: Value) -> Measurement? { tracked(v)?.measurement }

    /// A number as an exact measurement, a measurement with its sources; nil for anything else.
    public static func tracked(_ v: Value) -> TrackedMeasurement? {
        switch v {
        case .number(let x): return TrackedMeasurement(exact: x)
        case .object(let m as MeasurementValue): return m.tracked
        default: return nil
        }
    }

    /// Every item as a measurement (numbers exact), or nil if some item is neither.
    public static func measurements(_ items: [Value]) -> [Measurement]? { trackedItems(items)?.map(\.measurement) }

    /// Every item with its sources (numbers exact), or nil if some item is neither.
    public static func trackedItems(_ items: [Value]) -> [TrackedMeasurement]? {
        items.map(tracked) as? [TrackedMeasurement]
    }

    /// Whether `v` is a measurement.
    static func isMeasurement(_ v: Value) -> Bool { v.object(MeasurementValue.self) != nil }
}
