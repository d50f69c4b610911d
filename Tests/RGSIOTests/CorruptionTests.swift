import Foundation
import RGSIO
import RGSNumerics
import XCTest

/// Every prefix and every single-byte corruption of a valid file either loads or throws a CoreError
/// naming the file: none may trap.
final class CorruptionTests: XCTestCase {
    private func assertNeverTraps(_ bytes: [UInt8], file: String, load: ([UInt8]) throws -> Void) {
        for cut in 0..<bytes.count {
            XCTAssertThrowsError(try load(Array(bytes[..<cut])), "cut at \(cut)") { error in
                XCTAssertTrue((error as? CoreError)?.message.hasPrefix("cannot load '\(file)") == true, "\(error)")
            }
        }
        for index in bytes.indices {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var damaged = bytes
                damaged[index] ^= flip
                do { try load(damaged) } catch {
                    XCTAssertTrue((error as? CoreError)?.message.hasPrefix("cannot load '\(file)") == true, "\(error)")
                }
            }
        }
    }

    func testNpy() throws {
        let bytes = try NpyArray([Int16](arrayLiteral: 1, 2, 3, 4, 5, 6), shape: [2, 3]).encoded()
        assertNeverTraps(bytes, file: "a.npy") { _ = try NpyArray(decoding: $0, file: "a.npy") }
    }

    func testStoredNpz() throws {
        let bytes = try Npz(arrays: [("a", NpyArray([1.0, 2.0])), ("b", NpyArray([Int8](arrayLiteral: 1, -1)))],
                            metadata: "{}").encoded()
        assertNeverTraps(bytes, file: "z.npz") { _ = try Npz(decoding: $0, file: "z.npz") }
    }

    func testDeflatedNpzFromNumpy() throws {
        let directory = try temporaryDirectory()
        _ = try Python.run("np.savez_compressed('\(directory)/c.npz', a=np.arange(20.0), b=np.eye(3, dtype=np.int32))")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(directory)/c.npz")))
        XCTAssertEqual(try Npz(decoding: bytes, file: "c.npz").names, ["a", "b"])
        assertNeverTraps(bytes, file: "c.npz") { _ = try Npz(decoding: $0, file: "c.npz") }
    }

    func testMessagesSayWhatIsWrong() throws {
        let npy = try NpyArray([1.0, 2.0, 3.0]).encoded()
        func message(_ body: () throws -> Void) -> String {
            do { try body() } catch { return "\(error)" }
            return "no error"
        }
        XCTAssertEqual(message { _ = try NpyArray(decoding: Array(npy[..<30]), file: "a.npy") },
                       "cannot load 'a.npy': truncated header (the file ends after 30 bytes)")
        XCTAssertEqual(message { _ = try NpyArray(decoding: Array(npy.dropLast(3)), file: "a.npy") },
                       "cannot load 'a.npy': truncated data: shape (3,) of float64 needs 24 bytes, the file has 21")
        XCTAssertEqual(message { _ = try NpyArray(decoding: [0x50, 0x4B, 3, 4] + npy, file: "a.npy") },
                       "cannot load 'a.npy': not a .npy file (bad magic string)")
        var complex = npy
        complex.replaceSubrange(22..<24, with: Array("c8".utf8))
        XCTAssertEqual(message { _ = try NpyArray(decoding: complex, file: "a.npy") },
                       "cannot load 'a.npy': unsupported dtype '<c8'")
        XCTAssertEqual(message { _ = try Npz(decoding: Array("hello".utf8), file: "z.npz") },
                       "cannot load 'z.npz': not a zip archive (no end-of-directory record; is it cut short?)")
        var npz = try Npz(arrays: [("a", NpyArray([1.0, 2.0]))]).encoded()
        npz[100] ^= 1
        XCTAssertEqual(message { _ = try Npz(decoding: npz, file: "z.npz") },
                       "cannot load 'z.npz': CRC mismatch in member 'a.npy' (the data is corrupted)")
    }
}
