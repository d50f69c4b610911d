import Foundation
import RGSLanguage
import RGSNumerics
import XCTest

/// Seeded mutation fuzzing of the lexer, parser and evaluator: thousands of damaged programs must
/// each end in a value or an `RGSError`, never a trap. A watchdog cancels runaway loops.
final class FuzzTests: XCTestCase {
    private static let fragments = [
        "(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "..", " step ", " fn ", "let ", " if ", " else ",
        " for ", " in ", " while ", " return ", " break ", "+", "-", "*", "/", "%", "^", "==", "=", "<", "|",
        "\"", "#", "\n", "0", "1e308", "-1e308", "9007199254740993", "0.5", "nil", "true", " and ", " not ",
        "x", "xs", "f", "print", "len", "map", "range", "sum", "min", "help", "train", " on ", "measure",
        " of ", "plot", " to ", "load", "save", "\u{00e9}", "\\", "@", "xs[-1]", "xs[999]", "f(f)", "1/0",
        "import \"nope.rgs\"", "r.L", "{L: 1}", "fn(a) = a", "[1, [2]]", "0..10 step 0", "round(1, digits: 99)",
    ]

    func testMutatedProgramsNeverTrap() throws {
        let corpus = try seedCorpus()
        var rng = RandomStream(seed: 2024)
        var outcomes = (ok: 0, failed: 0)
        let count = 3000
        for n in 0..<count {
            var text = Array(corpus[n % corpus.count])
            let edits = 1 + rng.below(4)
            for _ in 0..<edits { mutate(&text, &rng) }
            let source = String(text)
            if runGuarded(source) { outcomes.ok += 1 } else { outcomes.failed += 1 }
        }
        // Both outcomes must occur, or the mutations are not exercising the error paths.
        XCTAssertGreaterThan(outcomes.ok, count / 100)
        XCTAssertGreaterThan(outcomes.failed, count / 5)
    }

    func testRandomBytesNeverTrap() {
        var rng = RandomStream(seed: 7)
        for _ in 0..<1000 {
            let bytes = (0..<rng.below(60)).map { _ in UInt8(truncatingIfNeeded: rng.below(256)) }
            _ = runGuarded(String(decoding: bytes, as: UTF8.self))
        }
    }

    func testDeepNestingIsAnErrorNotACrash() {
        for open in ["(", "[", "-", "not ", "{a: "] {
            let source = String(repeating: open, count: 100_000) + "1"
            XCTAssertFalse(runGuarded(source), open)
        }
    }

    /// Long flat chains build trees as deep as they are long: past 10,000 links a statement is an
    /// error (120,000 pipes overflowed the interpreter's 512 MB stack, 16,300 terms `--check`'s 8 MB).
    func testLongChainsAreAnErrorNotACrash() {
        let rgs = Interpreter(output: { _ in })
        for link in ["+1", " | abs", "()", "[0]", ".a", " and true", " < 1"] {
            let source = "let x = r" + String(repeating: link, count: 150_000)
            XCTAssertThrowsError(try rgs.check(source, file: "chain.rgs"), link) { error in
                XCTAssertTrue("\(error)".contains("statement too long"), "\(error)")
            }
        }
        // Items of a list or arguments sit side by side: 12,000 sums in one list are 2 levels deep.
        let wide = "let xs = [" + (0..<12_000).map { "\($0) + 1" }.joined(separator: ", ") + "]"
        XCTAssertEqual(try rgs.check(wide, file: "wide.rgs").count, 0)
        // Below the bound, on the 8 MB stack of the test's thread: parsed, checked and freed.
        XCTAssertEqual(try rgs.check("print(1" + String(repeating: "+1", count: 9_000) + ")", file: "sum.rgs").count, 0)
    }

    /// A chain of closures, each capturing the scope that holds the one before, is freed in a
    /// loop: on this thread's 8 MB stack 100,000 of them overflowed it.
    func testFreeingAChainOfClosuresDoesNotRecurse() throws {
        let rgs = Interpreter(output: { _ in })
        try rgs.run("fn mk(x) = fn() = x\nlet r = 1\nfor i in 1..100000 { r = mk(r) }\nr = 0", file: "chain.rgs")
    }

    /// Runs `source` with a 50 ms budget; true if it finished without an error.
    private func runGuarded(_ source: String) -> Bool {
        let rgs = Interpreter(output: { _ in })
        Cancellation.clear()
        let timer = DispatchWorkItem { Cancellation.request() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.05, execute: timer)
        defer {
            timer.cancel()
            Cancellation.clear()
        }
        return Interpreter.onLargeStack {
            do throws(RGSError) {
                try rgs.run(source, file: "fuzz.rgs")
                return true
            } catch {
                _ = error.render(color: false)  // rendering must not trap either
                return false
            }
        }
    }

    private func mutate(_ text: inout [Character], _ rng: inout RandomStream) {
        let at = text.isEmpty ? 0 : rng.below(text.count + 1)
        switch rng.below(4) {
        case 0 where !text.isEmpty:
            let end = min(text.count, at + 1 + rng.below(6))
            if at < end { text.removeSubrange(at..<end) }
        case 1:
            text.insert(contentsOf: FuzzTests.fragments[rng.below(FuzzTests.fragments.count)], at: at)
        case 2 where text.count > 2:
            let start = rng.below(text.count - 1)
            let slice = text[start..<min(text.count, start + 1 + rng.below(12))]
            text.insert(contentsOf: slice, at: at)
        default:
            if at < text.count { text[at] = FuzzTests.fragments[rng.below(FuzzTests.fragments.count)].first ?? " " }
        }
    }

    private func seedCorpus() throws -> [String] {
        // The language scripts of the library's script tests (same repository).
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../RGSLibraryTests/scripts").standardizedFileURL
        // Only the language's own scripts: the domain ones (domain/, rg/) need the library's builtins.
        let files = FileManager.default.enumerator(atPath: root.path)!.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".rgs") && !$0.hasPrefix("domain/") && !$0.hasPrefix("rg/") }.sorted()
        var corpus = try files.map { try String(contentsOfFile: root.appendingPathComponent($0).path, encoding: .utf8) }
        corpus += ["let xs = [1, 2, 3]\nprint(sum(map(xs, fn(x) = x * x)))", "print(len(0..6 step 0.25))",
                   "fn f(n) { if n < 1 { return 0 } else { return f(n - 1) } }\nf(10)"]
        return corpus
    }
}
