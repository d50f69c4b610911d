import CBLAS

/// Products C = S B of a matrix S whose entries take only two values (±1 spins, 0/1 units),
/// stored as bits, with a float matrix B, by table lookup (the "method of four Russians").
///
/// Each group of four rows of B gives a table of the 16 signed sums of those rows (one per
/// pattern of four bits of S), so a row of C gathers one table entry per four columns of S: a
/// quarter of the additions of a plain product, each a load and an add where a plain product
/// needs a multiply-add. The tables cost 16 additions per four rows of B per column, which the
/// rows of S share. Spin lattices, sampled RBM units and their transposes are all two-valued,
/// so every product of RBM training has one such factor.
///
/// C is computed in slices of 32 columns (one table set of 16 x 16 x 32 floats, 32 KB, per 64
/// rows of B). Every element is summed in a fixed order set by the shapes alone, so results
/// do not depend on how callers spread slices or rows over threads.
public enum TwoValuedProduct {
    typealias Lanes = SIMD8<Float>
    /// Sixteen columns of the tables and of C's rows: one register with AVX-512, two without.
    typealias Wide = SIMD16<Float>

    /// Columns of C per slice (two sixteen-lane vectors per row).
    public static let sliceWidth = 32
    /// Rows of B per table (one 4-bit pattern) and per block of tables (one 64-bit word of S).
    static let groupRows = 4, blockRows = 64

    /// The number of column slices of a product `width` columns wide.
    public static func slices(width: Int) -> Int { (width + sliceWidth - 1) / sliceWidth }

    /// C[r, j] = (accumulate ? C[r, j] : 0) + sum_k s(r, k) B[k, j] for r in 0..<rows, k in
    /// 0..<depth and the columns j of slices `slices` (all by default) of 0..<width.
    ///
    /// - s(r, k) is `values.set` when bit k % 64 of word k / 64 of row r of `bits` is 1, else
    ///   `values.clear`; rows are `wordsPerRow` words apart. Bits past `depth` are ignored.
    /// - B is depth x width with rows `ldb` floats apart, or, with `transposedB`, width x depth
    ///   (B is read as its transpose: B[k, j] = b[j * ldb + k]). `paddedB` says B's rows can be
    ///   read in whole slices (their extra columns only reach C's columns past `width`).
    /// - With `panels`, the stored matrix (B, or with `transposedB` the width x depth matrix
    ///   read as B's transpose) lies in that `Panels` layout (`ldb` is then unused): a slice of
    ///   an untransposed B is one contiguous stream, where in a row-major B it is 128 bytes of
    ///   every row, each row in its own page for a wide B.
    /// - C's rows are `ldc` floats apart; only columns 0..<width are written, unless
    ///   `wholeSlices` says the rows have room up to the next multiple of `sliceWidth` (those
    ///   columns are then overwritten with the products of zero columns: 0, or C's old value).
    /// - `parallel` spreads the slices over `Settings.threads` workers (callers that are
    ///   workers themselves pass false).
    public static func multiply(rows: Int, depth: Int, width: Int,
                                bits: UnsafePointer<UInt64>, wordsPerRow: Int, values: (set: Float, clear: Float),
                                _ b: UnsafePointer<Float>, ldb: Int, transposedB: Bool = false, paddedB: Bool = false,
                                panels: Panels? = nil, _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false,
                                wholeSlices: Bool = false, slices: Range<Int>? = nil, parallel: Bool = false) {
        product(rows: rows, depth: depth, width: width, bits: bits, wordsPerRow: wordsPerRow, values: values,
                Stored(b, ldb: ldb, panels: panels), transposedB: transposedB, paddedB: paddedB,
                into: .matrix(c, ldc: ldc), accumulate: accumulate, wholeSlices: wholeSlices,
                slices: slices ?? 0..<self.slices(width: width), parallel: parallel)
    }

    /// The same product (B read untransposed) into `destination` (into C: columns 0..<width).
    public static func multiply(rows: Int, depth: Int, width: Int,
                                bits: UnsafePointer<UInt64>, wordsPerRow: Int, values: (set: Float, clear: Float),
                                _ b: UnsafePointer<Float>, ldb: Int, paddedB: Bool = false, into destination: Destination,
                                parallel: Bool = false) {
        product(rows: rows, depth: depth, width: width, bits: bits, wordsPerRow: wordsPerRow, values: values,
                Stored(b, ldb: ldb, panels: nil), transposedB: false, paddedB: paddedB, into: destination, accumulate: false,
                wholeSlices: false, slices: 0..<slices(width: width), parallel: parallel)
    }

    /// Where a product's rows go.
    public enum Destination: @unchecked Sendable {
        /// Into C, rows `ldc` floats apart.
        case matrix(UnsafeMutablePointer<Float>, ldc: Int)
        /// Each finished tile of at most `tileRows` rows of consecutive slices goes to
        /// `handOver(rows, slices, tile)` on the worker that computed it, valid during the
        /// call: row `rows.lowerBound + i` of slice `slices.lowerBound + j` is at
        /// `tileRow(tile, i, j)`, `sliceWidth` floats (those past the width are 0, or with
        /// `paddedB` products of B's padding). For a consumer that reads C once, such as an
        /// RBM's weight step: C then never goes to memory.
        case handOver(@Sendable (_ rows: Range<Int>, _ slices: Range<Int>, _ tile: UnsafePointer<Float>) -> Void)

        /// The same destination for the rows from `first` on.
        func rows(from first: Int) -> Destination {
            switch self {
            case .matrix(let c, let ldc): return .matrix(c + first * ldc, ldc: ldc)
            case .handOver(let finish):
                return .handOver { rows, slices, tile in finish((rows.lowerBound + first)..<(rows.upperBound + first), slices, tile) }
            }
        }
    }

    /// Row i of slice j (both counted from the first handed over) of a tile given to `handOver`.
    @inlinable
    public static func tileRow(_ tile: UnsafePointer<Float>, _ i: Int, _ j: Int) -> UnsafePointer<Float> {
        tile + (j * tileRows + i) * sliceWidth
    }

    /// Both `multiply` forms with tables built on the fly: slices `all` of C. `parallel` spreads
    /// passes of slices over the workers and, where the rows go through tiles (whose tables are
    /// built per tile anyway), tiles too: finer items balance workers whose cores come and go.
    private static func product(rows: Int, depth: Int, width: Int,
                                bits: UnsafePointer<UInt64>, wordsPerRow: Int, values: (set: Float, clear: Float),
                                _ b: Stored, transposedB: Bool, paddedB: Bool,
                                into destination: Destination, accumulate: Bool, wholeSlices: Bool, slices all: Range<Int>,
                                parallel: Bool) {
        guard rows > 0, width > 0 else { return }
        let passes = (all.count + slicesPerPass - 1) / slicesPerPass
        @Sendable func passSlices(_ p: Int) -> Range<Int> {
            (all.lowerBound + p * slicesPerPass)..<min(all.upperBound, all.lowerBound + (p + 1) * slicesPerPass)
        }
        let partRows = throughTiles(depth: depth, into: destination) ? tileRows : rows, parts = (rows + partRows - 1) / partRows
        if parallel, passes * parts > 1 {
            // Each slice, and each tile of rows, builds its own tables: splitting adds no work.
            nonisolated(unsafe) let s = bits
            Parallel.forEach(passes * parts) { item in
                let first = item / passes * partRows
                product(rows: min(partRows, rows - first), depth: depth, width: width, bits: s + first * wordsPerRow,
                        wordsPerRow: wordsPerRow, values: values, b, transposedB: transposedB, paddedB: paddedB,
                        into: destination.rows(from: first), accumulate: accumulate, wholeSlices: wholeSlices,
                        slices: passSlices(item % passes), parallel: false)
            }
            return
        }
        let sourceWidth = paddedB ? TwoValuedProduct.slices(width: width) * sliceWidth : width
        // Rows of a B of 1 MB or more (larger than a core's L2) lie in their own pages or two to
        // a page, where the hardware prefetchers stop: asked for one block ahead (into L2, see
        // `Source.prefetch`), they arrive during the lookups. With L1 requests on a Zen3: a 4096
        // x 1024 RBM's W 10% faster (before RBM training kept W in panels), Model-1's first layer
        // (1024 x 512, just updated, in L3) at batch 100 859 -> 767 us per step. A block of
        // panels is two 4 KB pages, which the prefetchers may not cross: requested the same way,
        // as are the blocks of a B^T in panels. B within L2 would only pay for the requests.
        let prefetching = (!transposedB || b.panels != nil) && depth * width >= 1 << 18
        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: blockRows / groupRows * groupFloats / 8) { scratch in
            let t = UnsafeMutableRawPointer(scratch.baseAddress!).assumingMemoryBound(to: Float.self)
            for p in 0..<passes {
                lookUp(rows: rows, depth: depth, bits: bits, wordsPerRow: wordsPerRow, slices: passSlices(p), width: width,
                       into: destination, accumulate: accumulate, wholeSlices: wholeSlices) { s, block, groups in
                    let source = Source(b, transposed: transposedB, depth: depth, width: sourceWidth, slice: s)
                    for g in 0..<groups {
                        buildTable(source, group: block * blockRows / groupRows + g, values: values, into: t + g * groupFloats)
                    }
                    if prefetching { source.prefetch(block: block + 1) }
                    return UnsafePointer(t)
                }
            }
        }
    }

    /// The same product from tables built beforehand (`TwoValuedTables`: B and the two values
    /// are the tables'); for a B shared by many products.
    public static func multiply(rows: Int, bits: UnsafePointer<UInt64>, wordsPerRow: Int, tables: TwoValuedTables,
                                _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false, wholeSlices: Bool = false) {
        guard rows > 0 else { return }
        let count = slices(width: tables.width)
        for first in stride(from: 0, to: count, by: slicesPerPass) {
            lookUp(rows: rows, depth: tables.depth, bits: bits, wordsPerRow: wordsPerRow, slices: first..<min(count, first + slicesPerPass),
                   width: tables.width, into: .matrix(c, ldc: ldc), accumulate: accumulate, wholeSlices: wholeSlices,
                   allBlocksAtOnce: true) { s, block, _ in
                UnsafePointer(tables.slice(s)) + block * (blockRows / groupRows) * groupFloats
            }
        }
    }

    /// Floats per table (16 entries of one slice's columns).
    static let groupFloats = 16 * sliceWidth

    /// Rows of C per tile (when B has several blocks, or the product is handed over). Each
    /// tile builds its own tables when they are made on the fly: Model-1's first-layer forward
    /// product at batch 1000 took 3.5 instead of 4.3-4.9 ms per step with tiles of 512 rows
    /// rather than 128 (the rows' order of sums is the same for any tile size).
    public static let tileRows = 512

    /// Slices per pass over B's blocks (see `lookUp`).
    static let slicesPerPass = 4

    /// Blocks of B up to which tables built beforehand are read row by row across all blocks,
    /// each row of C stored once (see `lookUp`): two, 64 KB of tables per slice (`pass` takes
    /// at most two blocks).
    static let directBlocks = 2

    /// Blocks of `blockRows` rows in a B of `depth` rows (the last may be short).
    private static func blocks(depth: Int) -> Int { (depth + blockRows - 1) / blockRows }

    /// Whether `lookUp` sums C's rows in the scratch tile: always when they are handed over;
    /// into C when B has several blocks, unless tables built beforehand (`allBlocksAtOnce`)
    /// serve at most `directBlocks` of them.
    private static func throughTiles(depth: Int, into destination: Destination, allBlocksAtOnce: Bool = false) -> Bool {
        guard case .matrix = destination else { return true }
        let blocks = blocks(depth: depth)
        return blocks > 1 && !(allBlocksAtOnce && blocks <= directBlocks)
    }

    /// Up to `slicesPerPass` slices of C, block of B rows by block: `tables(slice, block,
    /// groups)` gives a block's tables for one slice, then every row gathers its entries.
    ///
    /// With several blocks, each tile of rows sums in a contiguous scratch tile and is stored
    /// once: C's rows are often a multiple of 4 KB apart, which maps them all to the same few
    /// cache sets, so summing in place went to memory on every block. The slices of a pass
    /// share each block's visit to B, whose rows may each lie in their own page: one slice at a
    /// time missed the TLB on every row.
    ///
    /// `allBlocksAtOnce` says every block's tables can be asked for at any time (tables built
    /// beforehand): up to `directBlocks` blocks, each row then sums all blocks in registers
    /// and is stored once, without the scratch tile. Products handed over always go through
    /// the tile, which is what is handed over.
    @inline(__always)
    private static func lookUp(rows: Int, depth: Int, bits: UnsafePointer<UInt64>, wordsPerRow: Int, slices: Range<Int>, width: Int,
                               into destination: Destination, accumulate: Bool, wholeSlices: Bool,
                               allBlocksAtOnce: Bool = false, tables: (Int, Int, Int) -> UnsafePointer<Float>) {
        func stored(_ s: Int) -> Int { wholeSlices ? sliceWidth : min(sliceWidth, width - s * sliceWidth) }
        let blocks = blocks(depth: depth)
        func groups(_ block: Int) -> Int { (min(depth, (block + 1) * blockRows) - block * blockRows + groupRows - 1) / groupRows }
        if case .matrix(let c, let ldc) = destination {
            if depth == 0 {
                guard !accumulate else { return }
                for s in slices { for r in 0..<rows { (c + r * ldc + s * sliceWidth).update(repeating: 0, count: stored(s)) } }
                return
            }
            if !throughTiles(depth: depth, into: destination, allBlocksAtOnce: allBlocksAtOnce) {
                for s in slices {
                    // Each block's tables are asked for once, before the rows (on the fly, that builds them).
                    let first = tables(s, 0, groups(0)), second = blocks > 1 ? tables(s, 1, groups(1)) : nil
                    pass(rows: rows, depth: depth, bits: bits, wordsPerRow: wordsPerRow, block: 0, tables: first, then: second,
                         c: c + s * sliceWidth, ldc: ldc, columns: stored(s), add: accumulate)
                }
                return
            }
        }
        let tileFloats = tileRows * sliceWidth
        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: slicesPerPass * tileFloats / 8) { scratch in
            let tiles = UnsafeMutableRawPointer(scratch.baseAddress!).assumingMemoryBound(to: Float.self)
            for r0 in stride(from: 0, to: rows, by: tileRows) {
                let count = min(tileRows, rows - r0)
                for (i, s) in slices.enumerated() {
                    let tile = tiles + i * tileFloats
                    if accumulate, case .matrix(let c, let ldc) = destination {
                        let target = c + r0 * ldc + s * sliceWidth
                        for r in 0..<count { store(load(target + r * ldc, stored(s)), tile + r * sliceWidth, sliceWidth) }
                    } else if blocks == 0 {
                        tile.update(repeating: 0, count: count * sliceWidth)
                    }
                }
                for block in 0..<blocks {
                    for (i, s) in slices.enumerated() {
                        pass(rows: count, depth: depth, bits: bits + r0 * wordsPerRow, wordsPerRow: wordsPerRow, block: block,
                             tables: tables(s, block, groups(block)), c: tiles + i * tileFloats, ldc: sliceWidth,
                             columns: sliceWidth, add: accumulate || block > 0)
                    }
                }
                switch destination {
                case .matrix(let c, let ldc):
                    for (i, s) in slices.enumerated() {
                        let target = c + r0 * ldc + s * sliceWidth, tile = tiles + i * tileFloats
                        for r in 0..<count { store(load(tile + r * sliceWidth, sliceWidth), target + r * ldc, stored(s)) }
                    }
                case .handOver(let finish):
                    finish(r0..<(r0 + count), slices, UnsafePointer(tiles))
                }
            }
        }
    }

    /// Adds (or with `add` false, stores) the share of B's block `block`, whose tables are
    /// `tables`, and with `then` also of the next block (whose tables those are), in `rows`
    /// rows of one slice: each row sums them in registers, block by block, and is stored once.
    @inline(__always)
    private static func pass(rows: Int, depth: Int, bits: UnsafePointer<UInt64>, wordsPerRow: Int, block: Int,
                             tables: UnsafePointer<Float>, then next: UnsafePointer<Float>? = nil,
                             c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int, add: Bool) {
        let k0 = block * blockRows, k1 = k0 + blockRows
        func groups(_ k: Int) -> Int { (min(depth, k + blockRows) - k + groupRows - 1) / groupRows }
        // Calls `share(first row of B, groups, tables)` for the block, then for the next one.
        @inline(__always) func blocks(_ share: (Int, Int, UnsafePointer<Float>) -> Void) {
            share(k0, groups(k0), tables)
            if let next { share(k1, groups(k1), next) }
        }
        var r = 0
        while r + 2 <= rows {
            let c0 = c + r * ldc, c1 = c0 + ldc
            var x0 = add ? load(c0, columns) : Row(), x1 = add ? load(c1, columns) : Row()
            blocks { k, groups, t in
                lookUp(rowPair: r, bits: bits + k / 64, offset: UInt64(k % 64), wordsPerRow: wordsPerRow, groups: groups,
                       tables: t, &x0, &x1)
            }
            store(x0, c0, columns)
            store(x1, c1, columns)
            r += 2
        }
        if r < rows {
            let c0 = c + r * ldc
            var x = add ? load(c0, columns) : Row()
            blocks { k, groups, t in
                lookUp(row: r, bits: bits + k / 64, offset: UInt64(k % 64), wordsPerRow: wordsPerRow, groups: groups, tables: t, &x)
            }
            store(x, c0, columns)
        }
    }

    /// Where a product's B (or, read transposed, its transpose) is stored: row-major, or in
    /// `Panels` (see `multiply`).
    struct Stored: @unchecked Sendable {
        let b: UnsafePointer<Float>
        /// Floats between rows: `ldb`, or `sliceWidth` within a panel.
        let ldb: Int
        let panels: Panels?

        init(_ b: UnsafePointer<Float>, ldb: Int, panels: Panels?) {
            (self.b, self.panels) = (b, panels)
            self.ldb = panels == nil ? ldb : Panels.width
        }

        /// The element at row r, column c.
        @inline(__always)
        func at(_ r: Int, _ c: Int) -> UnsafePointer<Float> {
            if let panels { return b + panels.offset(r, c) }
            return b + r * ldb + c
        }
    }

    /// B restricted to one slice's columns (zero past `depth` and past `width`).
    struct Source {
        let stored: Stored
        let transposed: Bool
        let depth, width, firstColumn: Int

        init(_ stored: Stored, transposed: Bool, depth: Int, width: Int, slice: Int) {
            (self.stored, self.transposed, self.depth, self.width) = (stored, transposed, depth, width)
            firstColumn = slice * sliceWidth
        }

        /// Requests the cache lines of block `block` (rows 64 block ..< 64 block + 64) of this
        /// slice of an untransposed B, or of a B^T in panels, to arrive while the current block's
        /// lookups run. They go to L2 only: brought into L1 they evicted the 32 KB of tables the
        /// lookups read there (a 100 x 4096 x 1024 product with W out of cache, 2 threads:
        /// 6.0-6.4 ms with L1 requests, 3.7-4.0 ms with L2 ones, 6.6-8.0 ms with none;
        /// alternating runs). A row-major B^T gained nothing from them; in panels, a block of the
        /// next slice lies two panels (1 MB for a 4096 x 1024 W) away, which no prefetcher
        /// guesses: a 4096 -> 1024 RBM epoch on a Zen3 took a median 6.3 against 7.0 s without.
        func prefetch(block: Int) {
            let k0 = block * blockRows, last = min(width, firstColumn + sliceWidth) - 1
            guard k0 < depth, last >= firstColumn else { return }
            if transposed {
                // B^T in panels: the block's columns of the slice's rows are one run of each panel.
                guard stored.panels != nil else { return }
                for k in stride(from: k0, to: min(depth, k0 + blockRows), by: Panels.width) {
                    let first = stored.at(firstColumn, k), end = stored.at(last, k) + Panels.width
                    for line in stride(from: 0, to: end - first, by: 16) { rgs_prefetch_to_l2(first + line) }
                }
                return
            }
            for k in k0..<min(depth, k0 + blockRows) {
                rgs_prefetch_to_l2(stored.at(k, firstColumn))
                rgs_prefetch_to_l2(stored.at(k, min(last, firstColumn + 16)))
                rgs_prefetch_to_l2(stored.at(k, last))
            }
        }

        /// Whether rows k..<k+4 and the whole slice lie inside B and can be read directly.
        @inline(__always)
        func isWhole(_ k: Int) -> Bool { k + groupRows <= depth && firstColumn + sliceWidth <= width }

        /// Rows k..<k+4 of B, columns firstColumn + 8q ..< firstColumn + 8q + 8, from a
        /// transposed B: four consecutive floats of each of eight stored rows, transposed (k is
        /// a multiple of 4, so the four lie in one panel).
        @inline(__always)
        func transposedDirect(_ k: Int, _ q: Int) -> (Lanes, Lanes, Lanes, Lanes) {
            let p = stored.at(firstColumn + 8 * q, k), ldb = stored.ldb
            func row(_ l: Int) -> SIMD4<Float> { UnsafeRawPointer(p + l * ldb).loadUnaligned(as: SIMD4<Float>.self) }
            let r0 = row(0), r1 = row(1), r2 = row(2), r3 = row(3), r4 = row(4), r5 = row(5), r6 = row(6), r7 = row(7)
            func column(_ i: Int) -> Lanes { Lanes(r0[i], r1[i], r2[i], r3[i], r4[i], r5[i], r6[i], r7[i]) }
            return (column(0), column(1), column(2), column(3))
        }

        /// Row k of B, columns firstColumn + 8q ..< firstColumn + 8q + 8, read directly.
        @inline(__always)
        func direct(_ k: Int, _ q: Int) -> Lanes {
            UnsafeRawPointer(stored.at(k, firstColumn + 8 * q)).loadUnaligned(as: Lanes.self)
        }

        /// Row k of B, columns firstColumn + 8q ..< firstColumn + 8q + 8, zero outside B.
        func lanes(_ k: Int, _ q: Int) -> Lanes {
            var x = Lanes()
            guard k < depth else { return x }
            for l in 0..<8 where firstColumn + 8 * q + l < width {
                let j = firstColumn + 8 * q + l
                x[l] = transposed ? stored.at(j, k).pointee : stored.at(k, j).pointee
            }
            return x
        }
    }

    /// The table of group `group` (B rows 4 group ..< 4 group + 4): its 16 entries
    /// sum_j s_j B[row j], entry e taking s_j = set where bit j of e is 1. Entry 0 is clear x
    /// (the sum of the rows), and entry e adds (set - clear) x its highest row to the entry
    /// without that row.
    @inline(__always)
    static func buildTable(_ source: Source, group: Int, values: (set: Float, clear: Float), into t: UnsafeMutablePointer<Float>) {
        let k = group * groupRows, whole = source.isWhole(k)
        for q in stride(from: 0, to: sliceWidth / 8, by: 2) {
            if whole, source.transposed {
                let (a0, a1, a2, a3) = source.transposedDirect(k, q), (b0, b1, b2, b3) = source.transposedDirect(k, q + 1)
                tableColumns(Wide(lowHalf: a0, highHalf: b0), Wide(lowHalf: a1, highHalf: b1), Wide(lowHalf: a2, highHalf: b2),
                             Wide(lowHalf: a3, highHalf: b3), values: values, into: t + 8 * q)
            } else if whole {
                func row(_ j: Int) -> Wide { Wide(lowHalf: source.direct(k + j, q), highHalf: source.direct(k + j, q + 1)) }
                tableColumns(row(0), row(1), row(2), row(3), values: values, into: t + 8 * q)
            } else {
                func row(_ j: Int) -> Wide { Wide(lowHalf: source.lanes(k + j, q), highHalf: source.lanes(k + j, q + 1)) }
                tableColumns(row(0), row(1), row(2), row(3), values: values, into: t + 8 * q)
            }
        }
    }

    /// Sixteen columns of the 16 entries of one table from the four rows' values there.
    @inline(__always)
    private static func tableColumns(_ b0: Wide, _ b1: Wide, _ b2: Wide, _ b3: Wide, values: (set: Float, clear: Float),
                                     into p: UnsafeMutablePointer<Float>) {
        let step = Wide(repeating: values.set - values.clear)
        let d0 = step * b0, d1 = step * b1, d2 = step * b2, d3 = step * b3
        let e0 = Wide(repeating: values.clear) * (b0 + b1 + b2 + b3)
        let e1 = e0 + d0, e2 = e0 + d1, e3 = e2 + d0, e4 = e0 + d2, e5 = e4 + d0, e6 = e4 + d1, e7 = e6 + d0
        @inline(__always) func put(_ e: Int, _ x: Wide) {
            UnsafeMutableRawPointer(p + e * sliceWidth).storeBytes(of: x, as: Wide.self)
            UnsafeMutableRawPointer(p + (e + 8) * sliceWidth).storeBytes(of: x + d3, as: Wide.self)
        }
        put(0, e0); put(1, e1); put(2, e2); put(3, e3); put(4, e4); put(5, e5); put(6, e6); put(7, e7)
    }

    /// Adds one block's share of rows r and r + 1 of one slice of C to `x0` and `x1`: eight
    /// accumulators.
    @inline(__always)
    private static func lookUp(rowPair r: Int, bits: UnsafePointer<UInt64>, offset: UInt64, wordsPerRow: Int, groups: Int,
                               tables: UnsafePointer<Float>, _ x0: inout Row, _ x1: inout Row) {
        let w0 = bits[r * wordsPerRow] &>> offset, w1 = bits[(r + 1) * wordsPerRow] &>> offset
        let raw = UnsafeRawPointer(tables)
        // Entry offsets in bytes straight from the bits (entries are 128 bytes): two operations
        // per lookup, with constant shifts when a whole block is unrolled.
        let l0 = w0 &<< 7, l1 = w1 &<< 7, h0 = (w0 &>> 32) &<< 7, h1 = (w1 &>> 32) &<< 7
        let full = blockRows / groupRows
        if groups == full {
            for g in 0..<min(8, full) {
                x0.add(raw + g * 2048 + Int(truncatingIfNeeded: (l0 &>> UInt64(4 * g)) & 0x780))
                x1.add(raw + g * 2048 + Int(truncatingIfNeeded: (l1 &>> UInt64(4 * g)) & 0x780))
            }
            for g in 0..<(full - min(8, full)) {
                x0.add(raw + (g + 8) * 2048 + Int(truncatingIfNeeded: (h0 &>> UInt64(4 * g)) & 0x780))
                x1.add(raw + (g + 8) * 2048 + Int(truncatingIfNeeded: (h1 &>> UInt64(4 * g)) & 0x780))
            }
        } else {
            for g in 0..<min(groups, 8) {
                x0.add(raw + g * 2048 + Int(truncatingIfNeeded: (l0 &>> UInt64(4 * g)) & 0x780))
                x1.add(raw + g * 2048 + Int(truncatingIfNeeded: (l1 &>> UInt64(4 * g)) & 0x780))
            }
            for g in 8..<max(8, groups) {
                x0.add(raw + g * 2048 + Int(truncatingIfNeeded: (h0 &>> UInt64(4 * g - 32)) & 0x780))
                x1.add(raw + g * 2048 + Int(truncatingIfNeeded: (h1 &>> UInt64(4 * g - 32)) & 0x780))
            }
        }
    }

    /// Adds one block's share of row r of one slice of C to `x`.
    @inline(__always)
    private static func lookUp(row r: Int, bits: UnsafePointer<UInt64>, offset: UInt64, wordsPerRow: Int, groups: Int,
                               tables: UnsafePointer<Float>, _ x: inout Row) {
        let w = bits[r * wordsPerRow] &>> offset
        for g in 0..<groups {
            x.add(UnsafeRawPointer(tables + g * 16 * sliceWidth + Int((w &>> UInt64(4 * g)) & 15) * sliceWidth))
        }
    }

    /// One row of a slice in two halves.
    private struct Row {
        var q0 = Wide(), q1 = Wide()

        @inline(__always)
        mutating func add(_ raw: UnsafeRawPointer) {
            q0 += raw.loadUnaligned(as: Wide.self)
            q1 += raw.loadUnaligned(fromByteOffset: 64, as: Wide.self)
        }
    }

    @inline(__always)
    private static func load(_ p: UnsafeMutablePointer<Float>, _ columns: Int) -> Row {
        if columns == sliceWidth {
            let raw = UnsafeRawPointer(p)
            return Row(q0: raw.loadUnaligned(as: Wide.self), q1: raw.loadUnaligned(fromByteOffset: 64, as: Wide.self))
        }
        var row = Row()
        withUnsafeMutableBytes(of: &row) { $0.baseAddress!.copyMemory(from: p, byteCount: columns * 4) }
        return row
    }

    @inline(__always)
    private static func store(_ row: Row, _ p: UnsafeMutablePointer<Float>, _ columns: Int) {
        if columns == sliceWidth {
            let raw = UnsafeMutableRawPointer(p)
            raw.storeBytes(of: row.q0, as: Wide.self)
            raw.storeBytes(of: row.q1, toByteOffset: 64, as: Wide.self)
            return
        }
        withUnsafeBytes(of: row) { UnsafeMutableRawPointer(p).copyMemory(from: $0.baseAddress!, byteCount: columns * 4) }
    }
}
