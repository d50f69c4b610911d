import RGSNumerics

/// A number with its statistical error, as observables return it: prints as `0.5123 ± 0.0021`.
/// Arithmetic (`+ - * / ^`), the elementary functions, `sum`, `mean`, `min` and `max` take it,
/// errors propagated to first order as independent.
public struct MeasurementValue: HostObject {
    public let measurement: Measurement

    public init(measurement: Measurement) { self.measurement = measurement }

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

    /// `+ - * / ^` with a number or another measurement (`Measurement` arithmetic).
    public func arithmetic(_ op: ArithmeticOperator, _ other: Value, selfOnLeft: Bool) throws -> Value? {
        guard let o = MeasurementValue.measurement(other) else { return nil }
        let (a, b) = selfOnLeft ? (measurement, o) : (o, measurement)
        let result: Measurement
        switch op {
        case .add: result = a + b
        case .subtract: result = a - b
        case .multiply: result = a * b
        case .divide: result = a / b
        case .power: result = a.power(b)
        }
        return .object(MeasurementValue(measurement: result))
    }

    /// A number as an exact measurement, a measurement as itself; nil for anything else.
    public static func measurement(_ v: Value) -> Measurement? {
        switch v {
        case .number(let x): return Measurement(x, error: 0)
        case .object(let m as MeasurementValue): return m.measurement
        default: return nil
        }
    }

    /// Every item as a measurement (numbers exact), or nil if some item is neither.
    public static func measurements(_ items: [Value]) -> [Measurement]? {
        items.map(measurement) as? [Measurement]
    }

    /// Whether `v` is a measurement.
    static func isMeasurement(_ v: Value) -> Bool { v.object(MeasurementValue.self) != nil }
}
