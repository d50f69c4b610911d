import XCTest
final class PlaceholderPlotTests: XCTestCase { func testNothing() {} }
