import Foundation
@testable import RGSIO
import RGSNumerics
import XCTest

final class NpzTests: XCTestCase {
    private func example() throws -> Npz {
        Npz(arrays: [
            ("spins", try NpyArray([Int8](arrayLiteral: 1, -1, -1, 1, 1, 1, -1, -1), shape: [2, 2, 2])),
            ("beta", try NpyArray([0.44, 0.3])),
            ("weights", NpyArray(Matrix(rows: 2, columns: 3, storage: [1, 2, 3, 4, 5, 6]))),
        ], metadata: #"{"kind": "ensemble", "label": "β = 0.44"}"#)
    }

    func testNumpyReadsArchiveAndMetadata() throws {
        let directory = try temporaryDirectory()
        try example().save(to: "\(directory)/e.npz")
        let out = try Python.run("""
            z = np.load('\(directory)/e.npz')
            s = z['spins']; w = z['weights']
            print(sorted(z.files), s.dtype, s.shape, int(s.sum()), w.dtype, w[1, 2], json.loads(z['metadata.json'])['label'])
            """)
        XCTAssertEqual(out, "['beta', 'metadata.json', 'spins', 'weights'] int8 (2, 2, 2) 0 float64 6.0 β = 0.44")
    }

    func testArchivesWrittenByNumpyLoad() throws {
        let directory = try temporaryDirectory()
        _ = try Python.run("""
            a = np.arange(12.0).reshape(3, 4); b = np.arange(1000, dtype=np.int64) % 7
            np.savez('\(directory)/plain.npz', a=a, b=b)
            np.savez_compressed('\(directory)/packed.npz', a=a, b=b)
            """)
        for name in ["plain", "packed"] {
            let z = try Npz.load(from: "\(directory)/\(name).npz")
            XCTAssertEqual(z.names, ["a", "b"], name)
            XCTAssertEqual(try z["a"]?.matrix().storage, (0..<12).map(Double.init), name)
            XCTAssertEqual(z["b"]?.values(as: Int64.self), (0..<1000).map { Int64($0 % 7) }, name)
            XCTAssertNil(z.metadata)
        }
    }

    func testRoundTripIsExactAndDeterministic() throws {
        let z = try example()
        let bytes = try z.encoded()
        XCTAssertEqual(try Npz(decoding: bytes, file: "e.npz"), z)
        XCTAssertEqual(try z.encoded(), bytes)
    }

    func testDuplicateNamesAreRefused() throws {
        let a = try NpyArray([1.0])
        XCTAssertThrowsError(try Npz(arrays: [("x", a), ("x", a)]).encoded()) { error in
            XCTAssertTrue("\(error)".contains("two arrays are named 'x'"))
        }
        // An archive that repeats a member (zip allows it) is refused on reading too.
        let bytes = a.encoded()
        let zip = try ZipArchive.encode([.init(name: "x.npy", bytes: bytes), .init(name: "x.npy", bytes: bytes)], file: "d.npz")
        XCTAssertThrowsError(try Npz(decoding: zip, file: "d.npz")) { error in
            XCTAssertTrue("\(error)".contains("it holds two arrays named 'x'"), "\(error)")
        }
    }

    func testDataFileRecognisesEachKind() throws {
        let directory = try temporaryDirectory()
        try example().save(to: "\(directory)/e.npz")
        try NpyArray([1.0, 2.0]).save(to: "\(directory)/a.npy")
        try TableCSV.write(Table(columns: [.init("x", [1, 2])]), to: "\(directory)/t.csv")
        guard case .archive = try DataFile.load("\(directory)/e.npz") else { return XCTFail("npz") }
        guard case .array = try DataFile.load("\(directory)/a.npy") else { return XCTFail("npy") }
        guard case .table = try DataFile.load("\(directory)/t.csv") else { return XCTFail("csv") }
        try AtomicFile.write("hello", to: "\(directory)/x.txt")
        XCTAssertThrowsError(try DataFile.load("\(directory)/x.txt")) { error in
            XCTAssertEqual("\(error)", "cannot load '\(directory)/x.txt': not a .npy, .npz or .csv file")
        }
        XCTAssertThrowsError(try DataFile.load("\(directory)/missing.npy")) { error in
            XCTAssertEqual("\(error)", "cannot load '\(directory)/missing.npy': no such file")
        }
    }
}

extension NpzTests {
    func testTablesRoundTripThroughArchives() throws {
        let table = Table(columns: [.init("beta", [0.1, 0.2]), .init("m", [0.5, 0.25], errors: [0.01, 0.02])])
        let z = Npz(table: table)
        XCTAssertEqual(z.names, ["beta", "m", "m_err"])
        XCTAssertEqual(try Npz(decoding: z.encoded(), file: "t.npz").table(file: "t.npz"), table)
        let ragged = Npz(arrays: [("a", NpyArray(vector: [1.0, 2])), ("b", NpyArray(vector: [1.0]))])
        XCTAssertThrowsError(try ragged.table(file: "t.npz")) { XCTAssertEqual("\($0)", "'t.npz': array 'b' has 1 rows, the others 2") }
    }

    func testZip64RecordsAreRead() throws {
        // Lowering zipfile's ZIP64 limit makes Python write ZIP64 extra fields and end records for a small file.
        let directory = try temporaryDirectory()
        _ = try Python.run("""
            import zipfile, io
            zipfile.ZIP64_LIMIT = 16
            buffer = io.BytesIO(); np.save(buffer, np.arange(10, dtype=np.int32))
            with zipfile.ZipFile('\(directory)/z64.npz', 'w') as z:
                z.writestr('pad.npy', buffer.getvalue()); z.writestr('x.npy', buffer.getvalue())
            """)
        let z = try Npz.load(from: "\(directory)/z64.npz")
        XCTAssertEqual(z.names, ["pad", "x"])
        XCTAssertEqual(z["x"]?.values(as: Int32.self), (0..<10).map(Int32.init))
        // Python fills the classic end record too; mark its offset as overflowed to follow the ZIP64 record.
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(directory)/z64.npz")))
        bytes.replaceSubrange((bytes.count - 6)..<(bytes.count - 2), with: [0xFF, 0xFF, 0xFF, 0xFF])
        XCTAssertEqual(try Npz(decoding: bytes, file: "z64.npz").names, ["pad", "x"])
    }
}
