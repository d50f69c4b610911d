import RGSLanguage
import RGSNumerics
import Foundation
import XCTest

final class LanguageTests: XCTestCase {
    private func run(_ source: String) throws -> String {
        var out = ""
        let rgs = Interpreter(output: { out += $0 })
        try rgs.run(source, file: "test.rgs")
        return out
    }

    func testErrorRenderingHasLocationCaretAndHint() {
        let rgs = Interpreter(output: { _ in })
        do {
            try rgs.run("let beta = 1\nprint(bta + 1)", file: "run.rgs")
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual(error.render(color: false), """
                error: unknown name 'bta'
                 --> run.rgs:2:7
                  |
                2 | print(bta + 1)
                  |       ^^^
                  = help: did you mean `beta`?

                """)
            XCTAssertEqual(error.kind, .runtime)
        }
    }

    /// Wide characters take two columns before the caret; a long line shows a window around it.
    func testCaretUnderWideCharactersAndLongLines() {
        let rgs = Interpreter(output: { _ in })
        do {
            try rgs.run("let 数据 = 1\nprint(数据 + bta)", file: "wide.rgs")
            XCTFail("expected an error")
        } catch {
            XCTAssertTrue(error.render(color: false).contains("2 | print(数据 + bta)\n  |              ^^^\n"), error.render(color: false))
        }
        // 3000 nested additions: on the interpreter's large stack, as the CLI and REPL run scripts
        // (a debug build with AddressSanitizer overflowed the test thread's 8 MB).
        let failure = Interpreter.onLargeStack { () -> RGSError? in
            do throws(RGSError) {
                try rgs.run("let x = " + String(repeating: "1 + ", count: 3000) + "nope", file: "long.rgs")
                return nil
            } catch {
                return error
            }
        }
        if let error = failure {
            let lines = error.render(color: false).split(separator: "\n")
            XCTAssertLessThan(lines.map(\.count).max() ?? 0, 200)
            XCTAssertTrue(lines[3].hasPrefix("1 | …1 + 1") && lines[3].hasSuffix("1 + nope"), String(lines[3]))
            XCTAssertTrue(lines[4].hasSuffix(" ^^^^"), String(lines[4]))
            XCTAssertEqual(lines[4].count, lines[3].count)
        } else {
            XCTFail("expected an error")
        }
    }

    func testParseErrorsAreParseKind() {
        let rgs = Interpreter(output: { _ in })
        for bad in ["let = 3", "print(1,", "fn (", "1 +* 2", "let x = @", "\"open", "x = = 2", "[1, 2"] {
            do {
                try rgs.run(bad, file: "p.rgs")
                XCTFail("\(bad) parsed")
            } catch {
                XCTAssertEqual(error.kind, .parse, bad)
                XCTAssertNotNil(error.span, bad)
            }
        }
    }

    func testIncompleteInputAsksForMore() {
        let rgs = Interpreter(output: { _ in })
        XCTAssertTrue(rgs.isIncomplete("fn f(x) {"))
        XCTAssertTrue(rgs.isIncomplete("print(1,"))
        XCTAssertTrue(rgs.isIncomplete("let xs = [1,\n2"))
        XCTAssertFalse(rgs.isIncomplete("print(1)"))
        XCTAssertFalse(rgs.isIncomplete("print(1))"))
        XCTAssertFalse(rgs.isIncomplete("let s = \"abc"), "a string ends on its line")
    }

    func testCommandFormsBecomeCalls() throws {
        let rgs = Interpreter(output: { _ in })
        var calls: [String] = []
        for name in ["train", "flow", "measure", "plot", "save", "load"] {
            rgs.register([Builtin(name, "test double", parameters: [
                Parameter("a", .any, optional: true, ""), Parameter("b", .any, optional: true, ""),
                Parameter("using", .any, optional: true, ""), Parameter("to", .any, optional: true, ""),
                Parameter("epochs", .any, optional: true, ""), Parameter("steps", .any, optional: true, ""),
            ]) { args in
                let shown = ["a", "b", "using", "to", "epochs", "steps"].compactMap { k in args.value(k).map { "\(k)=\($0.summary)" } }
                calls.append("\(name)(\(shown.joined(separator: ", ")))")
                return .string(name)
            }])
        }
        try rgs.run("""
            let data = 1
            let net = train "ae" on data epochs: 3
            flow net from data steps: 2 | measure beta using net | plot to "f.png"
            measure T of data
            save net to "n.npz"
            let m = load "m.npy"
            plot flow net from data steps: 10 | measure beta
            """, file: "c.rgs")
        XCTAssertEqual(calls, [
            "train(a=\"ae\", b=1, epochs=3)",
            "flow(a=\"train\", b=1, steps=2)", "measure(a=\"flow\", b=\"beta\", using=\"train\")", "plot(a=\"measure\", to=\"f.png\")",
            "measure(a=1, b=\"T\")",
            "save(a=\"train\", to=\"n.npz\")",
            "load(a=\"m.npy\")",
            "flow(a=\"train\", b=1, steps=10)", "measure(a=\"flow\", b=\"beta\")", "plot(a=\"measure\")",
        ])
    }

    func testChoiceArgumentsAcceptBareNames() throws {
        let rgs = Interpreter(output: { _ in })
        var got: [String] = []
        rgs.register([Builtin("pick", "", parameters: [Parameter("algorithm", .choice(["metropolis", "wolff"]), default: .string("wolff"), "")]) { args in
            got.append(try args.string("algorithm"))
            return .nothing
        }])
        try rgs.run("pick(algorithm: metropolis)\npick()\npick(algorithm: \"wolff\")", file: "t")
        XCTAssertEqual(got, ["metropolis", "wolff", "wolff"])
        XCTAssertThrowsError(try rgs.run("pick(algorithm: wolf)", file: "t")) { e in
            XCTAssertEqual((e as? RGSError)?.hint, "did you mean `wolff`?")
        }
    }

    func testCompletion() throws {
        let rgs = Interpreter(output: { _ in })
        XCTAssertEqual(rgs.completions(linePrefix: "tan", word: "tan"), ["tanh"])
        XCTAssertEqual(rgs.completions(linePrefix: "round(1.5, di", word: "di"), ["digits:"])
        try rgs.run("let temperature = 2", file: "t")
        XCTAssertTrue(rgs.completions(linePrefix: "print(temp", word: "temp").contains("temperature"))
        XCTAssertEqual(rgs.completions(linePrefix: "whi", word: "whi"), ["while"])
        // Members: libedit keeps "rec.al" as one word; other editors break it at the dot.
        try rgs.run("let rec = {alpha: 1, beta: 2}", file: "t")
        XCTAssertEqual(rgs.completions(linePrefix: "print(rec.al", word: "rec.al"), ["rec.alpha"])
        XCTAssertEqual(rgs.completions(linePrefix: "print(rec.", word: ""), ["alpha", "beta"])
        // After `name:` of a choice parameter, only its choices.
        rgs.register([Builtin("pick", "", parameters: [Parameter("algorithm", .choice(["metropolis", "wolff"]), default: .string("wolff"), "")]) { _ in .nothing }])
        XCTAssertEqual(rgs.completions(linePrefix: "pick(algorithm: ", word: ""), ["metropolis", "wolff"])
        XCTAssertEqual(rgs.completions(linePrefix: "pick(algorithm: wo", word: "wo"), ["wolff"])
    }

    func testHelpComesFromTheDeclaration() throws {
        let out = try run("help round")
        XCTAssertTrue(out.contains("round(x, digits: 0)"), out)
        XCTAssertTrue(out.contains("decimals to keep"), out)
        XCTAssertTrue(try run("help").contains("tanh"))
        // A user function's help is the comment right above it.
        XCTAssertEqual(try run("# unrelated\n\n# Doubles x.\n#   Exactly.\nfn twice(x) = 2 * x\nhelp twice"),
                       "fn twice(x)  (user function, test.rgs:5:1)\n  Doubles x.\n  Exactly.\n")
        // Defaults are shown as written (they were left out: `fn area(w, h)`).
        XCTAssertEqual(try run("fn area(w, h: 1, d: h * 2) = w * h\nhelp area"), "fn area(w, h: 1, d: h * 2)  (user function, test.rgs:1:1)\n")
        // An anonymous function by the name it is bound to (it said "'fn' is a keyword").
        XCTAssertEqual(try run("let sq = fn(x) = x * x\nhelp sq\nhelp(sq)"),
                       "sq = fn(x)  (anonymous function, test.rgs:1:10)\nfn(x)  (anonymous function, test.rgs:1:10)\n")
    }

    func testCheckResolvesNamesWithoutRunning() throws {
        let rgs = Interpreter(output: { _ in })
        XCTAssertEqual(try rgs.check("fn f(x) = g(x)\nfn g(y) = y\nfor i in 0..3 { print(f(i)) }", file: "ok.rgs").count, 0)
        XCTAssertEqual(try rgs.check("let beta = 1\nprint(btea)", file: "bad.rgs").map(\.hint), ["did you mean `beta`?"])
        // One pass reports every problem, inside function bodies and after them.
        let problems = try rgs.check("fn go(x) {\n    return trian(x)\n}\nprint(undefined)\nprint(1, sep: 2)", file: "bad.rgs")
        XCTAssertEqual(problems.map { $0.span.map { $0.file.location(of: $0.start).0 } }, [2, 4, 5])
        XCTAssertThrowsError(try rgs.check("print(", file: "unclosed.rgs"))
    }

    func testInterruptStopsLoopsPromptly() throws {
        let rgs = Interpreter(output: { _ in })
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { Cancellation.request() }
        let start = Date()
        XCTAssertThrowsError(try rgs.run("for i in 0..100000000 { }", file: "t")) { e in
            XCTAssertTrue((e as? RGSError)?.isInterrupt ?? false)
        }
        Cancellation.clear()
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.0)
    }

    /// Printing a large value (31 million numbers, rows shared) stops at Ctrl-C, not after seconds.
    func testInterruptStopsRenderingPromptly() throws {
        var printed = ""
        let rgs = Interpreter(output: { printed += $0 })
        try rgs.run("let row = [0]\nfor i in 1..999 { row = append(row, i) }\nlet m = [row]\nfor i in 1..999 { m = append(m, row) }\n"
                    + "let t = [m]\nfor i in 1..30 { t = append(t, m) }", file: "t")
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { Cancellation.request() }
        let start = Date()
        XCTAssertThrowsError(try rgs.run("print(t)\nprint(1)", file: "t"))
        Cancellation.clear()
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.5)
        XCTAssertTrue(printed.contains("elements)"), "the cut list says how many elements it has")
        XCTAssertFalse(printed.hasSuffix("1\n"), "the statement after the interrupted print does not run")
    }

    /// A value whose parts are shared (2^60 leaves) prints at once, its deep levels elided to
    /// about `Value.summaryElements` elements; values within the text budget print in full.
    func testValueTooLargeToPrintShowsItsTopLevels() throws {
        var printed = ""
        let rgs = Interpreter(output: { printed += $0 })
        let start = Date()
        try rgs.run("let a = [1]\nfor i in 0..60 { a = [a, a] }\nprint(a)\nprint({x: a})", file: "t")
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.0)
        let lines = printed.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(lines[0].hasPrefix("[[[[") && lines[0].contains("[… (2 elements)]"), String(lines[0].prefix(200)))
        XCTAssertLessThan(printed.utf8.count, 2 * 20 * Value.summaryElements)
        printed = ""
        try rgs.run("print([[1, 2], {x: [3, [4]]}])", file: "t")
        XCTAssertEqual(printed, "[[1, 2], {x: [3, [4]]}]\n")
        // From an empty list too (its leaves are `[]`, which showed nothing to count: 75 MB printed).
        printed = ""
        try rgs.run("let e = []\nfor i in 0..60 { e = [e, e] }\nprint(e)", file: "t")
        XCTAssertLessThan(printed.utf8.count, 2 * 20 * Value.summaryElements)
    }

    func testSeedMakesUnseededCallsRepeatable() throws {
        Settings.defaultSeed = 5
        Settings.resetSeedSequence()
        let a = (Settings.nextSeed(), Settings.nextSeed())
        _ = try run("seed(5)")
        let b = (Settings.nextSeed(), Settings.nextSeed())
        XCTAssertEqual(a.0, b.0)
        XCTAssertEqual(a.1, b.1)
        XCTAssertNotEqual(a.0, a.1)
    }
}

/// Command forms whose builtin is not registered report that, never crash.
final class UnregisteredCommandTests: XCTestCase {
    func testCommandWithoutBuiltin() {
        let rgs = Interpreter(output: { _ in })
        XCTAssertThrowsError(try rgs.run("train ae on data epochs: 3", file: "t.rgs")) { error in
            XCTAssertTrue("\(error)".contains("`train` is not available yet"), "\(error)")
        }
    }
}

/// `plot(x) to "f"` reads as the command form.
final class DestinationTests: XCTestCase {
    func testCallFollowedByTo() throws {
        var seen: [String] = []
        let rgs = Interpreter(output: { _ in })
        rgs.register([Builtin("plot", "test", parameters: [Parameter("x", .any, "x"), Parameter("to", .string, optional: true, "file"),
                                                          Parameter("logy", .bool, default: .bool(false), "log")]) { args in
            seen.append("\(try args.string("to")) \(try args.bool("logy"))")
            return .nothing
        }])
        try rgs.run("plot(1) to \"a.png\" logy: true\nplot(2, to: \"b.png\")", file: "t.rgs")
        XCTAssertEqual(seen, ["a.png true", "b.png false"])
    }
}

/// "Did you mean" suggestions: close typos get one, unrelated words none.
final class SuggestTests: XCTestCase {
    func testCloseTyposOnly() {
        let names = ["beta", "cosh", "susceptibility", "magnetization", "samples", "energy"]
        XCTAssertEqual(Suggest.hint("btea", in: names), "did you mean `beta`?")
        XCTAssertEqual(Suggest.hint("magnetisation", in: names), "did you mean `magnetization`?")
        XCTAssertEqual(Suggest.hint("susceptibilty", in: names), "did you mean `susceptibility`?")
        XCTAssertEqual(Suggest.hint("sampels", in: names), "did you mean `samples`?")
        // Three edits turn `nosuch` into `cosh`: too far for a six-letter word.
        XCTAssertNil(Suggest.hint("nosuch", in: names))
        // Case alone: the same word, not a longer one it begins (`ising1d`).
        XCTAssertEqual(Suggest.hint("Ising", in: ["ising1d", "ising", "longrange"]), "did you mean `ising`?")
        XCTAssertEqual(Suggest.hint("isi", in: ["ising1d", "ising", "longrange"]), nil)
    }

    /// Ties go to the same letters, then to alphabetical order, whatever a set's order is.
    func testTiesAreBrokenTheSameWayEveryTime() {
        for _ in 0..<20 {
            XCTAssertEqual(Suggest.hint("fi", in: Set(["fn", "if", "for"])), "did you mean `if`?")
            XCTAssertEqual(Suggest.hint("fr", in: Set(["fn", "if", "for"])), "did you mean `fn`?")
        }
    }
}
