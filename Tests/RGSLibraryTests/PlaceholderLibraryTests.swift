import XCTest
final class PlaceholderLibraryTests: XCTestCase { func testNothing() {} }
