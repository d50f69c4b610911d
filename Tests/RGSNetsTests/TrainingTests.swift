import RGSNumerics
@testable import RGSNets
import XCTest

final class TrainingTests: XCTestCase {
}
