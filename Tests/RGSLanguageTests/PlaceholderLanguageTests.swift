import XCTest
final class PlaceholderLanguageTests: XCTestCase { func testNothing() {} }
