import Foundation
import RGSIO
import RGSNumerics
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

    /// Writing through a symbolic link replaces the file it points to and keeps the link.
    func testSymbolicLinksAreFollowed() throws {
        let directory = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: "\(directory)/data", withIntermediateDirectories: false)
        try AtomicFile.write([1], to: "\(directory)/data/keep.bin")
        try FileManager.default.createSymbolicLink(atPath: "\(directory)/link.bin", withDestinationPath: "data/keep.bin")
        try AtomicFile.write([7, 8], to: "\(directory)/link.bin")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/link.bin"), "data/keep.bin")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/data/keep.bin")), Data([7, 8]))
    }

    func testMissingDirectoryIsAClearError() throws {
        let directory = try temporaryDirectory()
        XCTAssertThrowsError(try AtomicFile.write("x", to: "\(directory)/nowhere/out.txt")) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot save '\(directory)/nowhere/out.txt': cannot create a file"))
        }
    }

    /// Ctrl-C during a save (here: already requested) stops it: the old file stays as it was and
    /// no temporary file is left.
    func testAnInterruptedWriteKeepsTheOldFile() throws {
        let directory = try temporaryDirectory()
        let path = "\(directory)/keep.npy"
        try AtomicFile.write([1, 2, 3], to: path)
        Cancellation.request()
        defer { Cancellation.clear() }
        XCTAssertThrowsError(try AtomicFile.write([UInt8](repeating: 9, count: 20 << 20), to: path)) { error in
            XCTAssertTrue(error is Cancelled, "\(error)")
        }
        Cancellation.clear()
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data([1, 2, 3]))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["keep.npy"])
    }
}
