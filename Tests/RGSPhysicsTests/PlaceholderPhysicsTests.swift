import XCTest
final class PlaceholderPhysicsTests: XCTestCase { func testNothing() {} }
