import XCTest
final class PlaceholderNetsTests: XCTestCase { func testNothing() {} }
