import RGSLanguage
import RGSNumerics

/// A number with its statistical error: prints as `0.5123 ± 0.0021`.
struct MeasurementValue: HostObject {
    let measurement: Measurement

    var kindName: String { "Measurement" }
    var summary: String { measurement.description }
    var memberNames: [String] { ["value", "error"] }
    func member(_ name: String) -> Value? {
        switch name {
        case "value": return .number(measurement.value)
        case "error": return .number(measurement.error)
        default: return nil
        }
    }
    func numbers() -> [Double]? { [measurement.value] }
    func isEqual(to other: any HostObject) -> Bool { (other as? MeasurementValue)?.measurement == measurement }

    /// `+ - * / ^` with a number or another measurement, errors propagated as independent
    /// (`Measurement` arithmetic).
    func arithmetic(_ op: ArithmeticOperator, _ other: Value, selfOnLeft: Bool) throws -> Value? {
        let o: Measurement
        switch other {
        case .number(let x): o = Measurement(x, error: 0)
        case .object(let m as MeasurementValue): o = m.measurement
        default: return nil
        }
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
}
