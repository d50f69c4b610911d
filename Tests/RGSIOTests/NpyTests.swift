import Foundation
import RGSIO
import RGSNumerics
import XCTest

final class NpyTests: XCTestCase {
    /// One array of every dtype with awkward values (extremes, negative zero, NaN payload-free).
    static let samples: [(String, NpyArray)] = {
        func make(_ body: () throws -> NpyArray) -> NpyArray { (try? body()) ?? NpyArray(Matrix(rows: 0, columns: 0)) }
        return [
            ("b", make { try NpyArray([true, false, true, true, false, false], shape: [2, 3]) }),
            ("i1", make { try NpyArray([Int8.min, -1, 0, 1, Int8.max, 5], shape: [3, 2]) }),
            ("u1", make { try NpyArray([UInt8](arrayLiteral: 0, 1, 200, 255)) }),
            ("i2", make { try NpyArray([Int16.min, -2, 3, Int16.max], shape: [2, 2]) }),
            ("i4", make { try NpyArray([Int32.min, 0, Int32.max], shape: [3]) }),
            ("i8", make { try NpyArray([Int64.min, -7, Int64.max, 42], shape: [1, 2, 2]) }),
            ("f4", make { try NpyArray([Float](arrayLiteral: 0.1, -0.0, .infinity, Float.leastNonzeroMagnitude, 3), shape: [5]) }),
            ("f8", make { try NpyArray([0.1, -0.0, .infinity, -.infinity, Double.leastNonzeroMagnitude, 1e300], shape: [2, 3]) }),
            ("scalar", make { try NpyArray([3.5], shape: []) }),
            ("empty", make { try NpyArray([Double](), shape: [0, 4]) }),
        ]
    }()

    func testEncodingIsByteIdenticalToNumpySave() throws {
        let directory = try temporaryDirectory()
        for (name, array) in Self.samples { try array.save(to: "\(directory)/\(name).npy") }
        let names = Self.samples.map { "'\($0.0)'" }.joined(separator: ", ")
        _ = try Python.run("for n in [\(names)]: np.save('\(directory)/numpy-' + n + '.npy', np.load('\(directory)/' + n + '.npy'))")
        for (name, array) in Self.samples {
            let numpyBytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(directory)/numpy-\(name).npy")))
            XCTAssertEqual(numpyBytes, array.encoded(), name)
        }
    }

    func testNumpyReadsRightDtypeShapeAndValues() throws {
        let directory = try temporaryDirectory()
        let values = (0..<24).map { Double($0) * 0.25 - 1 }
        try NpyArray(values, shape: [2, 3, 4]).save(to: "\(directory)/a.npy")
        try NpyArray(values.map { Int8($0 * 4) }, shape: [4, 6]).save(to: "\(directory)/b.npy")
        let out = try Python.run("""
            a = np.load('\(directory)/a.npy'); b = np.load('\(directory)/b.npy')
            print(a.dtype, a.shape, repr(float(a.sum())), a[1, 2, 3], b.dtype, b.shape, int(b.sum()), b[3, 5])
            """)
        XCTAssertEqual(out, "float64 (2, 3, 4) 45.0 4.75 int8 (4, 6) 180 19")
    }

    func testArraysWrittenByNumpyLoad() throws {
        let directory = try temporaryDirectory()
        _ = try Python.run("""
            d = '\(directory)/'
            np.save(d + 'm.npy', np.arange(12.0).reshape(3, 4))
            np.save(d + 'f.npy', np.asfortranarray(np.arange(24, dtype=np.int32).reshape(2, 3, 4)))
            np.save(d + 'big.npy', np.arange(6, dtype='>f4'))
            np.save(d + 'bool.npy', np.array([[True, False], [False, True]]))
            np.save(d + 'scalar.npy', np.float32(2.5))
            np.save(d + 'v3.npy', np.arange(3, dtype=np.int16))
            from numpy.lib import format as fmt
            with open(d + 'v2.npy', 'wb') as f:
                fmt.write_array(f, np.arange(5, dtype=np.uint8), version=(2, 0))
            with open(d + 'v3.npy', 'wb') as f:
                fmt.write_array(f, np.arange(3, dtype=np.int16), version=(3, 0))
            """)
        let m = try NpyArray.load(from: "\(directory)/m.npy")
        XCTAssertEqual(m.shape, [3, 4])
        XCTAssertEqual(try m.matrix().storage.reduce(0, +), 66)
        XCTAssertEqual(try m.matrix()[2, 1], 9)
        let f = try NpyArray.load(from: "\(directory)/f.npy")
        XCTAssertEqual(f.shape, [2, 3, 4])
        XCTAssertEqual(f.values(as: Int32.self), (0..<24).map(Int32.init))
        XCTAssertEqual(try NpyArray.load(from: "\(directory)/big.npy").values(as: Float.self), [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(try NpyArray.load(from: "\(directory)/bool.npy").values(as: Bool.self), [true, false, false, true])
        let scalar = try NpyArray.load(from: "\(directory)/scalar.npy")
        XCTAssertEqual(scalar.shape, [])
        XCTAssertEqual(scalar.doubles(), [2.5])
        XCTAssertEqual(try NpyArray.load(from: "\(directory)/v2.npy").values(as: UInt8.self), [0, 1, 2, 3, 4])
        XCTAssertEqual(try NpyArray.load(from: "\(directory)/v3.npy").values(as: Int16.self), [0, 1, 2])
    }

    func testRoundTripsAreBitExact() throws {
        let directory = try temporaryDirectory()
        for (name, array) in Self.samples {
            try array.save(to: "\(directory)/\(name).npy")
            let back = try NpyArray.load(from: "\(directory)/\(name).npy")
            XCTAssertEqual(back, array, name)
        }
        var stream = RandomStream(seed: 11)
        let noisy = (0..<1000).map { _ in stream.normal() }
        let back = try NpyArray(decoding: NpyArray(noisy, shape: [10, 100]).encoded(), file: "x.npy")
        XCTAssertEqual(back.values(as: Double.self).map { $0.map(\.bitPattern) }, noisy.map(\.bitPattern))
    }

    func testLongHeaderSwitchesToVersionTwo() throws {
        let shape = [Int](repeating: 1, count: 30_000)
        let encoded = try NpyArray([1.0], shape: shape).encoded()
        XCTAssertEqual(encoded[6], 2)
        XCTAssertEqual(try NpyArray(decoding: encoded, file: "long.npy").shape, shape)
    }

    func testWrongSizesAreRefused() {
        XCTAssertThrowsError(try NpyArray([1.0, 2.0], shape: [3]))
        XCTAssertThrowsError(try NpyArray([1.0], shape: [-1]))
    }
}
