import Foundation
import RGSNumerics
import RGSPlot
import XCTest

final class ScriptTests: XCTestCase {
    func testMissingGnuplotLeavesScriptAndData() throws {
        let directory = try temporaryDirectory()
        let renderer = GnuplotRenderer(executable: "\(directory)/no-such-gnuplot")
        XCTAssertThrowsError(try renderer.render(Figures.lines, to: "\(directory)/m.png")) { error in
            let core = error as? CoreError
            XCTAssertEqual(core?.message, "gnuplot is not installed (the script and data were written to "
                           + "\(directory)/m.gp and \(directory)/m.dat)")
            XCTAssertEqual(core?.hint, "install it with: sudo apt-get install gnuplot-nox")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).sorted(), ["m.dat", "m.gp"])
        let data = try String(contentsOfFile: "\(directory)/m.dat", encoding: .utf8)
        XCTAssertTrue(data.hasPrefix("0.3 0.1 0.01\n0.4 0.3 0.02\n"), data)
        XCTAssertThrowsError(try renderer.renderText(Figures.lines))
        // Pictures without curves need no gnuplot in text mode.
        XCTAssertNoThrow(try renderer.renderText(Figures.snapshots))
    }

    func testSavedScriptRerunsWithGnuplot() throws {
        let renderer = GnuplotRenderer()
        guard let gnuplot = renderer.executable else { throw XCTSkip("gnuplot is not installed") }
        let directory = try temporaryDirectory()
        try renderer.writeScript(Figures.panels, to: "\(directory)/fig", output: "fig.svg")
        let script = try String(contentsOfFile: "\(directory)/fig.gp", encoding: .utf8)
        XCTAssertTrue(script.contains("'fig.dat' index 0"), script)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gnuplot)
        process.arguments = ["fig.gp"]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertTrue(try String(contentsOfFile: "\(directory)/fig.svg", encoding: .utf8).contains("Metropolis"))
    }
}

extension ScriptTests {
    /// A stand-in gnuplot: a shell script with the given body.
    private func fakeGnuplot(_ body: String) throws -> String {
        let path = try temporaryDirectory() + "/gnuplot"
        try "#!/bin/sh\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    func testHungGnuplotIsStoppedAfterTheTimeout() throws {
        let renderer = GnuplotRenderer(executable: try fakeGnuplot("exec sleep 30"), timeout: 0.3)
        let directory = try temporaryDirectory()
        XCTAssertThrowsError(try renderer.render(Figures.lines, to: "\(directory)/m.png")) { error in
            XCTAssertEqual("\(error)", "gnuplot did not finish within 0.3 seconds")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
    }

    func testFailingGnuplotIsReported() throws {
        let renderer = GnuplotRenderer(executable: try fakeGnuplot("echo 'something broke' >&2; exit 3"))
        let directory = try temporaryDirectory()
        XCTAssertThrowsError(try renderer.render(Figures.lines, to: "\(directory)/m.svg")) { error in
            XCTAssertEqual("\(error)", "gnuplot failed: something broke")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
    }
}
