import Foundation
import XCTest

/// Runs python3 with numpy for the cross-checks; skips the test with a message when either is missing.
enum Python {
    static func run(_ script: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import numpy as np, json, sys\n" + script]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { throw XCTSkip("python3 is not available: \(error)") }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if err.contains("No module named 'numpy'") || process.terminationStatus == 127 {
            throw XCTSkip("numpy is not installed for python3: skipping the numpy cross-check")
        }
        XCTAssertEqual(process.terminationStatus, 0, "python failed: \(err)", file: file, line: line)
        return String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A fresh temporary directory per test.
func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "rgsio-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
