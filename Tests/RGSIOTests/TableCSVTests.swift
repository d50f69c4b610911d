import Foundation
import RGSIO
import RGSNumerics
import XCTest

final class TableCSVTests: XCTestCase {
    private let table = Table(columns: [
        .init("beta", [0.1, 0.2, 0.44]),
        .init("m", [0.01, 0.1 + 0.2, .nan], errors: [1e-5, 0.02, .infinity]),
    ], rowLabels: ["input", "AE, \"trained\"", "decimated"])

    func testEncodingHasHeaderAndErrorColumns() {
        XCTAssertEqual(TableCSV.encode(table), [
            "label,beta,m,m_err",
            "input,0.1,0.01,1e-05",
            #""AE, ""trained""",0.2,0.30000000000000004,0.02"#,
            "decimated,0.44,nan,inf",
        ].joined(separator: "\n") + "\n")
    }

    func testIntegralValuesAreWrittenAsIntegers() throws {
        let counts = Table(columns: [.init("step", [0, 500, -3, 1e17, -0.0])])
        XCTAssertEqual(TableCSV.encode(counts), "step\n0\n500\n-3\n1e+17\n0\n")
        XCTAssertEqual(try TableCSV.decode(TableCSV.encode(counts), file: "t.csv").columns[0].values, [0, 500, -3, 1e17, 0])
    }

    func testRoundTripIsBitExact() throws {
        let back = try TableCSV.decode(TableCSV.encode(table), file: "t.csv")
        XCTAssertEqual(back.rowLabels, table.rowLabels)
        XCTAssertEqual(back.columns.map(\.name), ["beta", "m"])
        XCTAssertEqual(back.columns[0].values, table.columns[0].values)
        XCTAssertEqual(back.columns[1].values.map(\.bitPattern), table.columns[1].values.map(\.bitPattern))
        XCTAssertEqual(back.columns[1].errors, table.columns[1].errors)
    }

    /// Spreadsheets start files with a byte-order mark; a negative NaN is written as plain nan.
    func testByteOrderMarkAndNegativeNaN() throws {
        XCTAssertEqual(try TableCSV.decode("\u{FEFF}a,b\n1,2\n", file: "t.csv").columns.map(\.name), ["a", "b"])
        XCTAssertEqual(TableCSV.encode(Table(columns: [.init("x", [-Double.nan])])), "x\nnan\n")
    }

    func testNumpyReadsTheCSV() throws {
        let directory = try temporaryDirectory()
        try TableCSV.write(Table(columns: [.init("T", [1, 2]), .init("E", [-1.5, -0.5], errors: [0.1, 0.2])]),
                           to: "\(directory)/t.csv")
        let out = try Python.run("""
            t = np.genfromtxt('\(directory)/t.csv', delimiter=',', names=True)
            print(t.dtype.names, t['E'].sum(), t['E_err'][1])
            """)
        XCTAssertEqual(out, "('T', 'E', 'E_err') -2.0 0.2")
    }

    func testBadFieldsNameLineAndColumn() {
        XCTAssertThrowsError(try TableCSV.decode("a,b\n1,2\n3,x\n", file: "t.csv")) { error in
            XCTAssertEqual("\(error)", "cannot load 't.csv': line 3, column 'b': 'x' is not a number")
        }
        XCTAssertThrowsError(try TableCSV.decode("a,b\n1\n", file: "t.csv")) { error in
            XCTAssertEqual("\(error)", "cannot load 't.csv': line 2 has 1 fields, the header has 2")
        }
        XCTAssertThrowsError(try TableCSV.decode("a,a\n1,2\n", file: "t.csv")) { error in
            XCTAssertEqual("\(error)", "cannot load 't.csv': the header names the column 'a' twice")
        }
        XCTAssertThrowsError(try TableCSV.decode("", file: "t.csv"))
        XCTAssertThrowsError(try TableCSV.decode("a\n\"1\n", file: "t.csv"))
    }
}
