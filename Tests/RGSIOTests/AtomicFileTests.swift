import Foundation
import RGSIO
import XCTest

final class AtomicFileTests: XCTestCase {
    func testReplacesTheFileAndLeavesNoTemporary() throws {
        let directory = try temporaryDirectory()
        let path = "\(directory)/out.bin"
        try AtomicFile.write([1, 2, 3], to: path)
        try AtomicFile.write(Data([4, 5]), to: path)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data([4, 5]))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["out.bin"])
    }

    func testMissingDirectoryIsAClearError() throws {
        let directory = try temporaryDirectory()
        XCTAssertThrowsError(try AtomicFile.write("x", to: "\(directory)/nowhere/out.txt")) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot save '\(directory)/nowhere/out.txt': cannot create a file"))
        }
    }
}
