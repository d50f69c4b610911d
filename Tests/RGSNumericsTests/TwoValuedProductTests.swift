import Foundation
import Synchronization
@testable import RGSNumerics
import XCTest

/// `TwoValuedProduct` (table lookup) and `BitRows` against plain double-precision loops.
final class TwoValuedProductTests: XCTestCase {
    /// Random bits, one row per entry of `rows`, `wordsPerRow` words each (padding bits random too).
    private func randomBits(rows: Int, wordsPerRow: Int, _ random: inout RandomStream) -> [UInt64] {
        (0..<(rows * wordsPerRow)).map { _ in random.next() }
    }

    private func bit(_ bits: [UInt64], _ r: Int, _ k: Int, _ wordsPerRow: Int) -> Bool {
        (bits[r * wordsPerRow + k / 64] >> UInt64(k % 64)) & 1 == 1
    }

    func testMatchesThePlainProductForEveryShapeAndLayout() {
        var random = RandomStream(seed: 11, stream: 0)
        // Depths across block and group edges, widths across slice and lane edges.
        for (rows, depth, width) in [(7, 100, 81), (1, 1, 1), (4, 64, 32), (3, 65, 33), (10, 200, 70), (2, 130, 9), (5, 3, 100)] {
            for values in [(Float(1), Float(-1)), (1, 0), (-1, 1)] {
                for transposed in [false, true] {
                    for (accumulate, whole) in [(false, false), (true, false), (false, true), (true, true)] {
                        let wordsPerRow = BitRows.words(depth) + 1
                        let bits = randomBits(rows: rows, wordsPerRow: wordsPerRow, &random)
                        let rounded = TwoValuedProduct.slices(width: width) * TwoValuedProduct.sliceWidth
                        let ldb = (transposed ? depth : width) + 3, ldc = max(width + 5, rounded)
                        let b = (0..<((transposed ? width : depth) * ldb)).map { _ in Float(random.uniform()) - 0.5 }
                        let start = (0..<(rows * ldc)).map { _ in Float(random.uniform()) }
                        var c = start
                        bits.withUnsafeBufferPointer { s in
                            b.withUnsafeBufferPointer { bp in
                                c.withUnsafeMutableBufferPointer { cp in
                                    TwoValuedProduct.multiply(rows: rows, depth: depth, width: width, bits: s.baseAddress!,
                                                              wordsPerRow: wordsPerRow, values: values, bp.baseAddress!, ldb: ldb,
                                                              transposedB: transposed, cp.baseAddress!, ldc: ldc, accumulate: accumulate,
                                                              wholeSlices: whole)
                                }
                            }
                        }
                        for r in 0..<rows {
                            for j in 0..<ldc {
                                let label = "\(rows)x\(depth)x\(width) \(values) t:\(transposed) acc:\(accumulate) whole:\(whole) [\(r), \(j)]"
                                guard j < width else {
                                    let cleared = whole && j < rounded && !accumulate
                                    XCTAssertEqual(c[r * ldc + j], cleared ? 0 : start[r * ldc + j], label)
                                    continue
                                }
                                var sum = accumulate ? Double(start[r * ldc + j]) : 0
                                for k in 0..<depth {
                                    let s = Double(bit(bits, r, k, wordsPerRow) ? values.0 : values.1)
                                    sum += s * Double(transposed ? b[j * ldb + k] : b[k * ldb + j])
                                }
                                XCTAssertEqual(Double(c[r * ldc + j]), sum, accuracy: 1e-5 * Double(depth + 1), label)
                            }
                        }
                    }
                }
            }
        }
    }

    func testLargeBsThatAreReadAheadGiveThePlainProduct() {
        // Above 2^22 entries B's next block is prefetched; a depth that is not a multiple of 64
        // ends in a partial block with nothing after it.
        var random = RandomStream(seed: 16, stream: 0)
        for (depth, width) in [(4100, 1024), (4096, 1030)] {
            let rows = 3, wordsPerRow = BitRows.words(depth)
            let bits = randomBits(rows: rows, wordsPerRow: wordsPerRow, &random)
            let b = (0..<(depth * width)).map { _ in Float(random.uniform()) - 0.5 }
            var c = [Float](repeating: 0, count: rows * width)
            TwoValuedProduct.multiply(rows: rows, depth: depth, width: width, bits: bits, wordsPerRow: wordsPerRow, values: (1, -1),
                                      b, ldb: width, &c, ldc: width, parallel: true)
            for r in 0..<rows {
                for j in 0..<width {
                    var sum = 0.0
                    for k in 0..<depth { sum += (bit(bits, r, k, wordsPerRow) ? 1 : -1) * Double(b[k * width + j]) }
                    XCTAssertEqual(Double(c[r * width + j]), sum, accuracy: 1e-3, "\(depth)x\(width) [\(r), \(j)]")
                }
            }
        }
    }

    /// B stored in panels (untransposed, and its transpose for `transposedB`) gives the bits of
    /// the row-major B, across block, group, slice and lane edges and for a B large enough to be
    /// read ahead row-major; unpacking the panels gives the matrix back.
    func testPanelsGiveTheBitsOfTheRowMajorB() {
        var random = RandomStream(seed: 17, stream: 0)
        for (rows, depth, width) in [(7, 100, 81), (3, 65, 33), (1, 1, 1), (5, 130, 64), (2, 4100, 70)] {
            let wordsPerRow = BitRows.words(depth)
            let bits = randomBits(rows: rows, wordsPerRow: wordsPerRow, &random)
            for transposed in [false, true] {
                let (storedRows, storedColumns) = transposed ? (width, depth) : (depth, width)
                let b = (0..<(storedRows * storedColumns)).map { _ in Float(random.uniform()) - 0.5 }
                let layout = Panels(rows: storedRows, columns: storedColumns)
                var panels = [Float](repeating: .nan, count: layout.count)
                var back = [Float](repeating: 0, count: b.count)
                panels.withUnsafeMutableBufferPointer { layout.pack(b, into: $0.baseAddress!) }
                back.withUnsafeMutableBufferPointer { layout.unpack(panels, into: $0.baseAddress!) }
                XCTAssertEqual(back, b)
                for values in [(Float(1), Float(-1)), (1, 0)] {
                    var (c, d) = ([Float](repeating: 0, count: rows * width), [Float](repeating: 0, count: rows * width))
                    TwoValuedProduct.multiply(rows: rows, depth: depth, width: width, bits: bits, wordsPerRow: wordsPerRow, values: values,
                                              b, ldb: storedColumns, transposedB: transposed, &c, ldc: width, parallel: true)
                    TwoValuedProduct.multiply(rows: rows, depth: depth, width: width, bits: bits, wordsPerRow: wordsPerRow, values: values,
                                              panels, ldb: 0, transposedB: transposed, panels: layout, &d, ldc: width, parallel: true)
                    XCTAssertEqual(c, d, "\(rows)x\(depth)x\(width) t:\(transposed) \(values)")
                }
            }
        }
    }

    func testSlicesComputedSeparatelyGiveTheSameBits() {
        var random = RandomStream(seed: 12, stream: 0)
        let (rows, depth, width) = (9, 150, 100)
        let bits = randomBits(rows: rows, wordsPerRow: 3, &random)
        let b = (0..<(depth * width)).map { _ in Float(random.uniform()) - 0.5 }
        func product(slices: [Range<Int>?]) -> [Float] {
            var c = [Float](repeating: 0, count: rows * width)
            for s in slices {
                TwoValuedProduct.multiply(rows: rows, depth: depth, width: width, bits: bits, wordsPerRow: 3, values: (1, -1),
                                          b, ldb: width, &c, ldc: width, slices: s)
            }
            return c
        }
        XCTAssertEqual(product(slices: [nil]), product(slices: [2..<4, 0..<1, 1..<2]))
    }

    /// Products spread over the workers (by slices, and by tiles of rows when the rows go
    /// through tiles) give the bits of one thread's, with more rows than a tile, in one block
    /// of B (rows stored directly) and in several, accumulating or not.
    func testParallelProductsGiveTheBitsOfOneThread() {
        var random = RandomStream(seed: 14, stream: 0)
        for (rows, depth, width) in [(1100, 40, 300), (1100, 150, 300), (513, 200, 33)] {
            let words = BitRows.words(depth)
            let bits = randomBits(rows: rows, wordsPerRow: words, &random)
            let b = (0..<(depth * width)).map { _ in Float(random.uniform()) - 0.5 }
            let start = (0..<(rows * width)).map { _ in Float(random.uniform()) }
            for accumulate in [false, true] {
                func product(parallel: Bool) -> [Float] {
                    var c = start
                    TwoValuedProduct.multiply(rows: rows, depth: depth, width: width, bits: bits, wordsPerRow: words, values: (1, -1),
                                              b, ldb: width, &c, ldc: width, accumulate: accumulate, parallel: parallel)
                    return c
                }
                XCTAssertEqual(product(parallel: true), product(parallel: false), "\(rows)x\(depth)x\(width) accumulate \(accumulate)")
            }
        }
    }

    /// A product handed over tile by tile gives the bits of the stored product, each row of
    /// each slice exactly once (threads or not): more rows than a tile, more slices than a pass,
    /// a width cut inside a slice, one block (which stores rows directly) and none.
    func testHandedOverTilesGiveTheStoredBits() {
        var random = RandomStream(seed: 13, stream: 0)
        for (rows, depth, width) in [(600, 200, 170), (5, 64, 33), (3, 0, 40)] {
            let words = BitRows.words(depth) + 1, ldb = TwoValuedProduct.slices(width: width) * TwoValuedProduct.sliceWidth
            let bits = randomBits(rows: rows, wordsPerRow: words, &random)
            let b = (0..<(depth * ldb)).map { _ in Float(random.uniform()) - 0.5 }
            var stored = [Float](repeating: .nan, count: rows * width)
            TwoValuedProduct.multiply(rows: rows, depth: depth, width: width, bits: bits, wordsPerRow: words, values: (1, 0), b,
                                      ldb: ldb, paddedB: true, &stored, ldc: width)
            for parallel in [false, true] {
                let handed = Mutex([Float](repeating: .nan, count: rows * width)), visits = Mutex([Int](repeating: 0, count: rows * width))
                bits.withUnsafeBufferPointer { s in
                    b.withUnsafeBufferPointer { bp in
                        TwoValuedProduct.multiply(rows: rows, depth: depth, width: width, bits: s.baseAddress!, wordsPerRow: words,
                                                  values: (1, 0), bp.baseAddress!, ldb: ldb, paddedB: true, into: .handOver { range, slices, tile in
                            let tileFloats = TwoValuedProduct.tileRows * TwoValuedProduct.sliceWidth
                            for r in range {
                                for (i, slice) in slices.enumerated() {
                                    for l in 0..<TwoValuedProduct.sliceWidth where slice * TwoValuedProduct.sliceWidth + l < width {
                                        let j = slice * TwoValuedProduct.sliceWidth + l
                                        let value = tile[i * tileFloats + (r - range.lowerBound) * TwoValuedProduct.sliceWidth + l]
                                        handed.withLock { $0[r * width + j] = value }
                                        visits.withLock { $0[r * width + j] += 1 }
                                    }
                                }
                            }
                        }, parallel: parallel)
                    }
                }
                let label = "\(rows)x\(depth)x\(width) parallel \(parallel)"
                XCTAssertEqual(handed.withLock { $0 }, stored, label)
                XCTAssertEqual(visits.withLock { $0 }, [Int](repeating: 1, count: rows * width), label)
            }
        }
    }

    /// Tables built beforehand give the bits of tables built on the fly: read in tiles (three
    /// blocks of B), and row by row across all blocks (two blocks, up to `directBlocks`), with
    /// odd row counts and more rows than a tile, for both kinds of values and for rows padded
    /// to whole slices (as RBMs call them: the padding gets the products of zero columns).
    func testPrebuiltTablesGiveTheSameBits() {
        var random = RandomStream(seed: 15, stream: 0)
        for (rows, depth, width, transposed) in [(9, 150, 100, false), (5, 81, 100, true), (3, 64, 32, false),
                                                 (TwoValuedProduct.tileRows + 89, 100, 81, false)] {
            let wordsPerRow = BitRows.words(depth)
            let bits = randomBits(rows: rows, wordsPerRow: wordsPerRow, &random)
            let ldb = transposed ? depth : width
            let b = (0..<(depth * width)).map { _ in Float(random.uniform()) - 0.5 }
            for (values, padded) in [((Float(1), Float(0)), false), ((1, -1), true)] {
                let ldc = padded ? TwoValuedProduct.slices(width: width) * TwoValuedProduct.sliceWidth : width
                let start = (0..<(rows * ldc)).map { _ in Float(random.uniform()) }
                let tables = TwoValuedTables(depth: depth, width: width)
                tables.build(b, ldb: ldb, transposedB: transposed, values: values)
                for accumulate in [false, true] {
                    var direct = start, prebuilt = start
                    TwoValuedProduct.multiply(rows: rows, depth: depth, width: width, bits: bits, wordsPerRow: wordsPerRow,
                                              values: values, b, ldb: ldb, transposedB: transposed, &direct, ldc: ldc,
                                              accumulate: accumulate, wholeSlices: padded)
                    TwoValuedProduct.multiply(rows: rows, bits: bits, wordsPerRow: wordsPerRow, tables: tables, &prebuilt, ldc: ldc,
                                              accumulate: accumulate, wholeSlices: padded)
                    let label = "\(rows)x\(depth)x\(width) \(transposed) \(values) \(accumulate)"
                    XCTAssertEqual(direct, prebuilt, label)
                    for r in [0, rows - 1] {
                        for j in width..<ldc { XCTAssertEqual(prebuilt[r * ldc + j], accumulate ? start[r * ldc + j] : 0, label) }
                    }
                }
            }
        }
    }

    /// Rows in tiles (more rows than `tileRows`, a partial last tile) give the bits of the
    /// same rows computed one at a time, and the plain product.
    func testTiledRowsGiveTheBitsOfSingleRows() {
        var random = RandomStream(seed: 17, stream: 0)
        let (rows, depth, width) = (2 * TwoValuedProduct.tileRows + 77, 130, 70)
        let wordsPerRow = BitRows.words(depth)
        let bits = randomBits(rows: rows, wordsPerRow: wordsPerRow, &random)
        let b = (0..<(depth * width)).map { _ in Float(random.uniform()) - 0.5 }
        let start = (0..<(rows * width)).map { _ in Float(random.uniform()) }
        for (accumulate, parallel) in [(false, false), (true, false), (false, true)] {
            var c = start
            TwoValuedProduct.multiply(rows: rows, depth: depth, width: width, bits: bits, wordsPerRow: wordsPerRow, values: (1, -1),
                                      b, ldb: width, &c, ldc: width, accumulate: accumulate, parallel: parallel)
            for r in [0, TwoValuedProduct.tileRows - 1, TwoValuedProduct.tileRows, rows - 1] {
                var single = Array(start[(r * width)..<((r + 1) * width)])
                bits.withUnsafeBufferPointer {
                    TwoValuedProduct.multiply(rows: 1, depth: depth, width: width, bits: $0.baseAddress! + r * wordsPerRow,
                                              wordsPerRow: wordsPerRow, values: (1, -1), b, ldb: width, &single, ldc: width,
                                              accumulate: accumulate)
                }
                XCTAssertEqual(Array(c[(r * width)..<((r + 1) * width)]), single, "row \(r), accumulate \(accumulate)")
                for j in [0, width - 1] {
                    var sum = accumulate ? Double(start[r * width + j]) : 0
                    for k in 0..<depth { sum += (bit(bits, r, k, wordsPerRow) ? 1 : -1) * Double(b[k * width + j]) }
                    XCTAssertEqual(Double(c[r * width + j]), sum, accuracy: 1e-4)
                }
            }
        }
    }

    func testTablesFitUpTo32MB() {
        XCTAssertTrue(TwoValuedTables.fit(depth: 100, width: 81))
        XCTAssertTrue(TwoValuedTables.fit(depth: 1000, width: 512))      // 8 MB
        XCTAssertFalse(TwoValuedTables.fit(depth: 30_000, width: 512))   // 245 MB
        XCTAssertFalse(TwoValuedTables.fit(depth: 1 << 18, width: 1))    // 32 columns per slice: 134 MB
        XCTAssertFalse(TwoValuedTables.fit(depth: Int.max, width: Int.max / 2))
    }

    func testPackSetsTheBitsAboveTheThreshold() {
        var random = RandomStream(seed: 13, stream: 0)
        let (rows, width, stride) = (5, 83, 96)
        let x = (0..<(rows * stride)).map { _ in random.uniform() < 0.5 ? Float(-1) : 1 }
        var bits = [UInt64](repeating: .max, count: rows * 3)
        BitRows.pack(x, rows: rows, width: width, stride: stride, threshold: 0, into: &bits, wordsPerRow: 3)
        for r in 0..<rows {
            for k in 0..<192 { XCTAssertEqual(bit(bits, r, k, 3), k < width && x[r * stride + k] > 0, "[\(r), \(k)]") }
        }
    }

    func testCountCountsTheBitsInARange() {
        var random = RandomStream(seed: 16, stream: 0)
        let row = randomBits(rows: 1, wordsPerRow: 4, &random)
        for range in [0..<0, 0..<256, 3..<70, 64..<128, 100..<101, 63..<65, 130..<256] {
            XCTAssertEqual(BitRows.count(row, bits: range), range.filter { bit(row, 0, $0, 4) }.count, "\(range)")
        }
    }

    func testTransposeSwapsRowsAndColumns() {
        var random = RandomStream(seed: 14, stream: 0)
        for (rows, columns) in [(70, 130), (64, 64), (1, 5), (200, 3)] {
            let wordsPerRow = BitRows.words(columns), wordsPerColumn = BitRows.words(rows) + 1
            let bits = randomBits(rows: rows, wordsPerRow: wordsPerRow, &random)
            var out = [UInt64](repeating: .max, count: columns * wordsPerColumn)
            BitRows.transpose(bits, rows: rows, columns: columns, wordsPerRow: wordsPerRow, into: &out, wordsPerColumn: wordsPerColumn)
            for j in 0..<columns {
                for r in 0..<(64 * wordsPerColumn) {
                    let expected = r < rows && bit(bits, r, j, wordsPerRow)
                    XCTAssertEqual(bit(out, j, r, wordsPerColumn), expected, "\(rows)x\(columns) [\(j), \(r)]")
                }
            }
        }
    }
}
