import Foundation
import RGSIO
import XCTest

/// The `rgs` executable as a user runs it: exit codes, stdout/stderr, scripts, `-e`, stdin.
final class CLITests: XCTestCase {
    struct Run { let status: Int32; let stdout: String; let stderr: String }

    static var executable: URL? {
        let candidates = [Bundle.main.bundleURL.appendingPathComponent("rgs"),
                          Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("rgs")]
            + ["release", "debug"].map { packageRoot.appendingPathComponent(".build/\($0)/rgs") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func rgs(_ args: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Run {
        guard let exe = executable else { throw XCTSkip("rgs is not built (run `swift build --product rgs`)") }
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
        try inp.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    private func temporaryScript(_ text: String, name: String = "script.rgs") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rgs-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testSnippetsFromTheIssue() throws {
        XCTAssertEqual(try Self.rgs(["-e", "let xs = [1, 2, 3]\nprint(sum(map(xs, fn(x) = x * x)))"]).stdout, "14\n")
        XCTAssertEqual(try Self.rgs(["-e", "print(len(0..6 step 0.25))"]).stdout, "25\n")
        // Code may start with a minus sign.
        XCTAssertEqual(try Self.rgs(["-e", "-7 % 3 | print"]).stdout, "2\n")
        // Several -e are consecutive lines of one snippet (the last alone ran before).
        XCTAssertEqual(try Self.rgs(["-e", "let x = 2", "-e", "print(x * 3)"]).stdout, "6\n")
        XCTAssertTrue(try Self.rgs(["-e", "1", "-e", "prnt(1)"]).stderr.contains("-e:2:1"))
    }

    /// A measurement of one group is a number; the notes its table's title held go to stderr.
    func testOneGroupMeasurementWritesItsNotesToStderr() throws {
        let r = try Self.rgs(["-e", """
            let ref = ising(L: 6, T: [2, 2.5, 3], samples: 200, seed: 1)
            print(measure T of ising(L: 6, T: 2.75, samples: 200, seed: 2) using ref)
            """])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains(" ± "), r.stdout)
        XCTAssertTrue(r.stderr.contains("note: T in 2.5..3 (an end segment of the reference"), r.stderr)
    }

    func testUnknownNameExitsOneWithLocatedSuggestion() throws {
        let r = try Self.rgs(["-e", "prnt(1)"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("-e:1:1"), r.stderr)
        XCTAssertTrue(r.stderr.contains("^^^^"), r.stderr)
        XCTAssertTrue(r.stderr.contains("did you mean `print`?"), r.stderr)
    }

    func testUnclosedBracketInFileExitsTwo() throws {
        let path = try temporaryScript("let xs = [1, 2\nprint(xs)\n")
        let r = try Self.rgs([path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("\(path):2:1"), r.stderr)
        XCTAssertTrue(r.stderr.contains("^"), r.stderr)
    }

    /// A script that is not UTF-8 is refused with the line and column of its first bad byte.
    func testScriptThatIsNotUTF8IsRefusedWithItsPosition() throws {
        let path = try temporaryScript("")
        try Data("print(1)\nlet é = \"".utf8 + [0xFF] + Data("\"\n".utf8)).write(to: URL(fileURLWithPath: path))
        let r = try Self.rgs([path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("it is not UTF-8 text (byte 0xff at line 2, column 10)"), r.stderr)
        XCTAssertEqual(r.stdout, "")
    }

    /// A snippet may start with any number of dashes (ArgumentParser refused three), and the
    /// arguments after it are its `args`.
    func testSnippetsStartingWithDashesAndTheirArguments() throws {
        XCTAssertEqual(try Self.rgs(["-e", "---1"]).status, 0)
        XCTAssertEqual(try Self.rgs(["-e", "print(---1)", "-e", "print(-2)"]).stdout, "-1\n-2\n")
        XCTAssertEqual(try Self.rgs(["-e", "print(args)", "a", "---b"]).stdout, "[\"a\", \"---b\"]\n")
        XCTAssertEqual(try Self.rgs(["-e", "print(args)"]).stdout, "[]\n")
        let script = try temporaryScript("print(args)\n")
        XCTAssertEqual(try Self.rgs([script, "---c", "-e"]).stdout, "[\"---c\", \"-e\"]\n")
    }

    func testScriptArgumentsShebangAndCheck() throws {
        let path = try temporaryScript("#!/usr/bin/env rgs\nprint(args)\nprint(len(args))\n")
        let r = try Self.rgs([path, "full", "--fast"])
        XCTAssertEqual(r.stdout, "[\"full\", \"--fast\"]\n2\n", r.stderr)
        XCTAssertEqual(try Self.rgs(["--check", path]).status, 0)
        let bad = try temporaryScript("let beta = 1\nprint(btea)\n", name: "bad.rgs")
        let c = try Self.rgs(["--check", bad])
        XCTAssertEqual(c.status, 1)
        XCTAssertTrue(c.stderr.contains("did you mean `beta`?"), c.stderr)
        // A misspelt keyword argument of a builtin, unless the name is the user's own.
        let typo = try temporaryScript("let x = ising(L: 8, beta: 0.4, smples: 3)\n", name: "typo.rgs")
        let t = try Self.rgs(["--check", typo])
        XCTAssertEqual(t.status, 1)
        XCTAssertTrue(t.stderr.contains("unknown parameter 'smples' for ising") && t.stderr.contains("did you mean `samples`?"), t.stderr)
        let shadowed = try temporaryScript("fn ising(n, smples) = n\nprint(ising(1, smples: 2))\n", name: "own.rgs")
        XCTAssertEqual(try Self.rgs(["--check", shadowed]).status, 0)
    }

    func testPipedStdinRunsStatements() throws {
        let r = try Self.rgs([], stdin: "print(1+1)\nlet x = 3\nprint(x * 2)\n")
        XCTAssertEqual(r.stdout, "2\n6\n")
        XCTAssertEqual(r.status, 0)
    }

    func testUsageErrorsExitTwoAndVersionZero() throws {
        XCTAssertEqual(try Self.rgs(["--no-such-flag"]).status, 2)
        XCTAssertEqual(try Self.rgs(["--threads", "0", "-e", "1"]).status, 2)
        // More threads than CPUs run as many as there are CPUs, and say so.
        let many = try Self.rgs(["--threads", "100000", "-e", "print(1)"])
        XCTAssertEqual(many.status, 0)
        XCTAssertEqual(many.stdout, "1\n")
        XCTAssertTrue(many.stderr.contains("note: --threads 100000 is more than the"), many.stderr)
        // A negative seed is a bad value, not a missing one.
        let negative = try Self.rgs(["--seed", "-3", "-e", "1"])
        XCTAssertEqual(negative.status, 2)
        XCTAssertTrue(negative.stderr.contains("The value '-3' is invalid for '--seed"), negative.stderr)
        let v = try Self.rgs(["--version"])
        XCTAssertEqual(v.status, 0)
        XCTAssertFalse(v.stdout.isEmpty)
        XCTAssertEqual(try Self.rgs(["/no/such/file.rgs"]).status, 2)
    }

    /// An archive whose metadata.json is damaged is refused, not loaded as something else.
    func testDamagedArchiveMetadataIsAnError() throws {
        let path = try temporaryScript("", name: "bad.npz")
        try Npz(arrays: [("a", NpyArray(vector: [1, 2]))], metadata: #"{"kind": "ensemble", "notes": 5"#).save(to: path)
        let r = try Self.rgs(["-e", "load \"\(path)\""])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("its metadata.json is not a valid JSON object"), r.stderr)
    }

    /// A float lattice array with a NaN is refused on load, naming where the value sits.
    func testNonFiniteLatticeValuesAreRefused() throws {
        let path = try temporaryScript("", name: "nan.npz")
        var values = [Float](repeating: 1, count: 2 * 2 * 3)
        values[7] = .nan
        try Npz(arrays: [("spins", NpyArray(values, shape: [2, 2, 3]))], metadata: nil).save(to: path)
        let r = try Self.rgs(["-e", "load \"\(path)\""])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("NaN, infinite or beyond float32 (sample 1, site 1)"), r.stderr)
    }

    /// Float lattices far outside [-1, 1] load, with a note that observables read them at that scale.
    func testLatticeValuesOnAnotherScaleGetANote() throws {
        let path = try temporaryScript("", name: "scale.npy")
        try NpyArray((0..<12).map { Float($0) * 8.5 }, shape: [2, 2, 3]).save(to: path)
        let r = try Self.rgs(["-e", "print(load(\"\(path)\").count)"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "2\n")
        XCTAssertTrue(r.stderr.contains("holds values up to 93.5 in size, where spins and their averages lie in [-1, 1]"), r.stderr)
    }

    /// Arrays with no samples hold no elements whatever their lattice: lattices whose site count
    /// overflows or exceeds 2^31 - 1 are refused (found by fuzzing: they trapped).
    func testEmptyArraysOfHugeLatticesAreRefused() throws {
        for (name, shape, int8) in [("a.npy", [0, 3037000500, 3037000500], true), ("b.npy", [0, Int.max], true),
                                    ("c.npy", [0, 4294967296, 4294967296], false)] {
            let path = try temporaryScript("", name: name)
            try (int8 ? NpyArray([Int8](), shape: shape) : NpyArray([Float](), shape: shape)).save(to: path)
            let r = try Self.rgs(["-e", "print(load \"\(path)\")"])
            XCTAssertEqual(r.status, 1, name)
            XCTAssertTrue(r.stderr.contains("sites is too large (at most 2^31 - 1 sites)"), r.stderr)
        }
        let rows = try temporaryScript("", name: "rows.npy")
        try NpyArray([Double](), shape: [4294967296, 0]).save(to: rows)
        let r = try Self.rgs(["-e", "print(load \"\(rows)\")"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("a matrix of shape (4294967296, 0) is too large"), r.stderr)
        let empty = try temporaryScript("", name: "empty.npy")
        try NpyArray([Int8](), shape: [0, 4, 4]).save(to: empty)
        XCTAssertEqual(try Self.rgs(["-e", "print(load \"\(empty)\")"]).status, 0)
    }

    /// Integer arrays of +-1 from numpy code (int32 here) load as spins; 0/1 occupations of any
    /// integer type are refused with the numpy line that maps them to spins; other integers of
    /// other types than int8 load as values.
    func testIntegerSpinArraysLoad() throws {
        let spins = try temporaryScript("", name: "spins.npy")
        try NpyArray([Int32](repeating: -1, count: 2 * 3 * 3), shape: [2, 3, 3]).save(to: spins)
        XCTAssertEqual(try Self.rgs(["-e", "let d = load \"\(spins)\"\nprint(d.shape, magnetization(d, abs: false))"]).stdout, "[3, 3] -1\n")
        for (name, array) in [("int8.npy", try NpyArray((0..<18).map { Int8($0 % 2) }, shape: [2, 3, 3])),
                              ("int32.npy", try NpyArray((0..<18).map { Int32($0 % 2) }, shape: [2, 3, 3]))] {
            let binary = try temporaryScript("", name: name)
            try array.save(to: binary)
            let r = try Self.rgs(["-e", "load \"\(binary)\""])
            XCTAssertEqual(r.status, 1, name)
            XCTAssertTrue(r.stderr.contains("these are 0 or 1") && r.stderr.contains("(2 * s - 1).astype(np.int8)"), r.stderr)
        }
        let counts = try temporaryScript("", name: "counts.npy")
        try NpyArray((0..<18).map { Int64($0 % 3) }, shape: [2, 3, 3]).save(to: counts)
        XCTAssertEqual(try Self.rgs(["-e", "print(load \"\(counts)\")"]).stdout, "Ensemble 2 × 3x3 values, no temperature labels, loaded\n")
    }

    func testPreludeIsLoaded() throws {
        XCTAssertEqual(try Self.rgs(["-e", "print(round(T_c, digits: 4), linspace(0, 1, 3))"]).stdout, "2.2692 [0, 0.5, 1]\n")
    }

    /// Ctrl-C in a script stops it at once with status 130, also inside a LAPACK call that
    /// cannot stop midway (abandoned in the background; the exit must not crash under it).
    func testInterruptStopsAScriptWithStatus130() throws {
        guard let exe = Self.executable else { throw XCTSkip("rgs is not built") }
        let scripts = [
            "let m = wwt(hardcoded(coarse_graining_matrix(from: 3600, to: 1800)))\nfor i in 0..1000 { let e = eigen(m) }\nprint(\"finished\")\n",
            // A sampler's sweep loops stop at once, not after counting through 1e11 skipped sweeps.
            "print(ising(L: 8, beta: 0.4, samples: 1, thermalization: 1e11, algorithm: \"wolff\"))\n",
            "print(ising(L: 8, beta: 0.4, samples: 64, thermalization: 1e11))\n",
        ]
        for script in scripts {
            let p = Process()
            p.executableURL = exe
            p.arguments = [try temporaryScript(script)]
            p.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            try p.run()
            Thread.sleep(forTimeInterval: 2)
            let interrupted = Date()
            p.interrupt()
            let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            let stderr = String(decoding: e, as: UTF8.self)
            XCTAssertEqual(p.terminationStatus, 130, stderr)
            XCTAssertLessThan(Date().timeIntervalSince(interrupted), 1.5, script)
            XCTAssertTrue(stderr.contains("interrupted: the script stops here"), stderr)
            XCTAssertEqual(String(decoding: o, as: UTF8.self), "")
        }
    }

    func testReplUnderAPseudoTerminal() throws {
        guard let exe = Self.executable else { throw XCTSkip("rgs is not built") }
        let script = Self.packageRoot.appendingPathComponent("Tests/RGSLibraryTests/repl_pty.py").path
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import pexpect"]
        check.standardError = FileHandle.nullDevice
        try check.run()
        check.waitUntilExit()
        guard check.terminationStatus == 0 else { throw XCTSkip("python3 with pexpect is not available") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script, exe.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, text)
    }
}
