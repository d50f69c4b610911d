import Foundation
import RGSLanguage
import RGSLibrary
import XCTest

/// Runs every `scripts/**/*.rgs` with the full library (domain builtins and prelude), comparing its output with the `# expect:` comments and its
/// error with `# expect error: LINE:COL message` / `# expect hint: text` (or `# expect no hint`).
final class ScriptTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("scripts")

    func testScripts() throws {
        let files = FileManager.default.enumerator(atPath: ScriptTests.root.path)!
            .compactMap { $0 as? String }.filter { $0.hasSuffix(".rgs") && !$0.contains("/lib/") }.sorted()
        XCTAssertGreaterThan(files.count, 10)
        for name in files { try check(name) }
    }

    private func check(_ name: String) throws {
        let path = ScriptTests.root.appendingPathComponent(name).path
        let source = try String(contentsOfFile: path, encoding: .utf8)
        var expected: [(prefix: Bool, text: String)] = []
        var expectedError: String?, expectedHint: String?, noHint = false
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            if let r = line.range(of: "# expect: ") { expected.append((false, String(line[r.upperBound...]))) }
            if let r = line.range(of: "# expect-prefix: ") { expected.append((true, String(line[r.upperBound...]))) }
            if let r = line.range(of: "# expect error: ") { expectedError = String(line[r.upperBound...]) }
            if let r = line.range(of: "# expect hint: ") { expectedHint = String(line[r.upperBound...]) }
            if line.hasPrefix("# expect no hint") { noHint = true }
        }
        var output = ""
        let result = Interpreter.onLargeStack { () -> RGSError? in
            do throws(RGSError) {
                let rgs = try Library.makeInterpreter(output: { output += $0 })
                try rgs.run(source, file: path)
                return nil
            } catch {
                return error
            }
        }
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        XCTAssertEqual(lines.count, expected.count, "\(name): output\n\(output)")
        for (got, want) in zip(lines, expected) {
            if want.prefix { XCTAssertTrue(got.hasPrefix(want.text), "\(name): \(got) does not start with \(want.text)") }
            else { XCTAssertEqual(got, want.text, name) }
        }
        if let expectedError {
            guard let error = result else { return XCTFail("\(name): expected error \(expectedError)") }
            let parts = expectedError.split(separator: " ", maxSplits: 1).map(String.init)
            let location = error.span.map { span -> String in
                let (l, c) = span.file.location(of: span.start)
                return "\(l):\(c)"
            }
            XCTAssertEqual(location, parts[0], "\(name): \(error)")
            XCTAssertTrue(error.message.contains(parts[1]), "\(name): '\(error.message)' lacks '\(parts[1])'")
            if let expectedHint { XCTAssertEqual(error.hint, expectedHint, name) }
            if noHint { XCTAssertNil(error.hint, name) }
        } else if let error = result {
            XCTFail("\(name): unexpected error\n\(error)")
        }
    }
}
