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
}
