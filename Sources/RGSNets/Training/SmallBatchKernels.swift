import RGSNumerics

/// Products for small minibatches (at most `Workspace.fusedBatch` rows) that stream each weight
/// row once.
///
/// OpenBLAS packs the whole weight matrix on every sgemm call, which for a batch of 10 rows
/// costs as much as the product itself (skinny shapes). These loops read W in
/// place; they are deterministic and independent of the thread count like the sgemm path.
///
/// Register tiles are sized for 16 eight-lane registers: AVX2 machines have no more, and AMD's
/// AVX-512 cores run a 16-lane FMA as two 8-lane halves. Tiles 16 columns wide hold each row's
/// columns in one `Wide` vector: the same registers and instructions as two eight-lane ones
/// on those machines, half the instructions where AVX-512 registers are whole (Intel).
enum SmallBatch {
    typealias Vector = SIMD8<Float>
    /// Sixteen columns: one AVX-512 register, or two AVX2 ones (the same registers and
    /// instructions as two `Vector`s, so tiles of `Wide`s fit both).
    typealias Wide = SIMD16<Float>

    /// y = x W for `rows` rows, from xT = x^T (n x rows, `transpose`); W is n x out and y is
    /// rows x out (row-major). `scratch` holds `forwardScratch(rows:n:out:)` floats.
    ///
    /// Each range of `forwardDepth` weight rows is a work item that sums its share of x W into
    /// its own part of `scratch` (whole pages, on their own cache lines); the parts are then
    /// added in order. Within a range, blocks of 16 weight rows are swept along their full width
    /// by register tiles of 5 batch rows x 16 columns (5 x 8 for a last 8 columns), so every
    /// worker streams whole rows of W (walking W down a strip of columns crosses a page every
    /// row or two, which the prefetchers do not follow, and workers summing into neighbouring
    /// columns of one y ran at two thirds of their speed alone). A block of 16 rows is 16
    /// streams the prefetchers keep up with; blocks of 64 halved the rate on a weight matrix
    /// that is not in cache (Model-1's last layer: 255 -> 150 microseconds per batch of 10).
    /// The block size does not change the order of any sum. The split is fixed by n, so y does
    /// not depend on the thread count. Widths that are not a multiple of 8 take a plain row loop
    /// on one thread.
    static func forward(rows: Int, n: Int, out: Int, xT: UnsafePointer<Float>, w: UnsafePointer<Float>,
                        y: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        guard out % 8 == 0 else { return forwardRowLoop(rows: rows, n: n, out: out, xT: xT, w: w, y: y) }
        let (sx, sw, ss) = (Shared(xT), Shared(w), Shared(scratch))
        let part: @Sendable (Int) -> Void = { p in
            forwardPart(p, rows: rows, n: n, out: out, xT: sx.pointer, w: sw.pointer, scratch: ss.pointer)
        }
        let parts = (n + forwardDepth - 1) / forwardDepth
        // Small layers run their parts in turn: handing them out costs more than they take.
        if n * out >= 1 << 16 { Parallel.forEach(parts, part) } else { for p in 0..<parts { part(p) } }
        sumParts(rows: rows, n: n, out: out, y: y, scratch: scratch)
    }

    /// Work item p of `forward` (out a multiple of 8): x[:, k] W[k, :] for the p-th range k of
    /// `forwardDepth` weight rows, into its region of `scratch`.
    static func forwardPart(_ p: Int, rows: Int, n: Int, out: Int, xT: UnsafePointer<Float>, w: UnsafePointer<Float>,
                            scratch: UnsafeMutablePointer<Float>) {
        let k = (p * forwardDepth)..<min(n, (p + 1) * forwardDepth)
        forward(rows: rows, k: k, out: out, xT: xT, w: w, into: scratch + p * partRegion(rows: rows, out: out), ld: out + 16)
    }

    /// The last stage of `forward`: y = the sum of the parts in `scratch`, in order.
    static func sumParts(rows: Int, n: Int, out: Int, y: UnsafeMutablePointer<Float>, scratch: UnsafePointer<Float>) {
        let parts = (n + forwardDepth - 1) / forwardDepth, region = partRegion(rows: rows, out: out), ld = out + 16
        for r in 0..<rows {
            let yr = y + r * out, first = scratch + r * ld
            yr.update(from: first, count: out)
            for p in 1..<max(1, parts) {
                let part = first + p * region
                for j in stride(from: 0, to: out, by: 8) { store(load(yr + j) + load(part + j), yr + j) }
            }
        }
    }

    /// Weight rows per work item of `forward`.
    static let forwardDepth = 128

    /// Floats of scratch `forward` needs: one region of whole pages per work item.
    static func forwardScratch(rows: Int, n: Int, out: Int) -> Int {
        max(1, (n + forwardDepth - 1) / forwardDepth) * partRegion(rows: rows, out: out)
    }

    /// Floats per region: rows x (out + 16) (the padding keeps the rows of a register tile
    /// out of one L1 set when out is a multiple of 1024) rounded up to whole 4 KB pages.
    private static func partRegion(rows: Int, out: Int) -> Int {
        (rows * (out + 16) + 1023) / 1024 * 1024
    }

    /// sum = x[:, k] W[k, :] (rows x out, row stride ld), out a multiple of 8.
    private static func forward(rows: Int, k: Range<Int>, out: Int, xT: UnsafePointer<Float>, w: UnsafePointer<Float>,
                                into sum: UnsafeMutablePointer<Float>, ld: Int) {
        for k0 in stride(from: k.lowerBound, to: k.upperBound, by: 16) {
            let depth = min(16, k.upperBound - k0), wk = w + k0 * out, xk = xT + k0 * rows
            // The first block starts the sums from zero (no clearing pass over `sum`).
            let wide = out / 16 * 16, fresh = k0 == k.lowerBound
            // Batch rows five at a time, then one by one.
            @inline(__always) func sweep(_ five: (Int) -> Void, _ one: (Int) -> Void) {
                var r = 0
                while r + 5 <= rows { five(r); r += 5 }
                while r < rows { one(r); r += 1 }
            }
            for c in stride(from: 0, to: wide, by: 16) {
                let (wc, yc) = (wk + c, sum + c)
                sweep({ tile(fiveWide: $0, depth: depth, rows: rows, ldw: out, ldy: ld, xT: xk, w: wc, y: yc, fresh: fresh) },
                      { tile(oneWide: $0, depth: depth, rows: rows, ldw: out, ldy: ld, xT: xk, w: wc, y: yc, fresh: fresh) })
            }
            for c in stride(from: wide, to: out, by: 8) {
                let (wc, yc) = (wk + c, sum + c)
                sweep({ tile(five: $0, depth: depth, rows: rows, ldw: out, ldy: ld, xT: xk, w: wc, y: yc, fresh: fresh) },
                      { tile(one: $0, depth: depth, rows: rows, ldw: out, ldy: ld, xT: xk, w: wc, y: yc, fresh: fresh) })
            }
        }
    }

    /// y = x W by rows, for any width.
    private static func forwardRowLoop(rows: Int, n: Int, out: Int, xT: UnsafePointer<Float>, w: UnsafePointer<Float>,
                                       y: UnsafeMutablePointer<Float>) {
        y.update(repeating: 0, count: rows * out)
        for k in 0..<n {
            let wk = w + k * out
            for b in 0..<rows {
                let s = xT[k * rows + b]
                let yb = y + b * out
                var j = 0
                while j + 8 <= out {
                    store(load(yb + j).addingProduct(Vector(repeating: s), load(wk + j)), yb + j)
                    j += 8
                }
                while j < out {
                    yb[j] += s * wk[j]
                    j += 1
                }
            }
        }
    }

    /// y[r..<r+5, 0..<8] += x[r..<r+5, k] W[k, 0..<8] over `depth` rows k of W (from w, row
    /// stride ldw) and xT (from xT); y has row stride ldy (for a last 8 columns).
    @inline(__always)
    private static func tile(five r: Int, depth: Int, rows: Int, ldw: Int, ldy: Int, xT: UnsafePointer<Float>,
                             w: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, fresh: Bool) {
        let y0 = y + r * ldy
        var a = loadFive(y0, ldy, fresh, as: Vector.self)
        var wp = w, xp = xT + r
        for _ in 0..<depth {
            accumulate(&a, xp, load(wp))
            wp += ldw
            xp += rows
        }
        storeFive(a, y0, ldy)
    }

    /// y[r..<r+5, 0..<16] += x[r..<r+5, k] W[k, 0..<16] over `depth` rows k (arguments as in
    /// `tile(five:)`): in eight-lane halves, two weight loads and five broadcasts per ten
    /// multiply-adds, against eleven loads in the 10 x 8 tile used before, which left the loads,
    /// not the multiply-adds, the limit.
    @inline(__always)
    private static func tile(fiveWide r: Int, depth: Int, rows: Int, ldw: Int, ldy: Int, xT: UnsafePointer<Float>,
                             w: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, fresh: Bool) {
        let y0 = y + r * ldy
        var a = loadFive(y0, ldy, fresh, as: Wide.self)
        var wp = w, xp = xT + r
        for _ in 0..<depth {
            accumulate(&a, xp, load(wp, as: Wide.self))
            wp += ldw
            xp += rows
        }
        storeFive(a, y0, ldy)
    }

    /// The one-row tile of `tile(fiveWide:)`.
    @inline(__always)
    private static func tile(oneWide r: Int, depth: Int, rows: Int, ldw: Int, ldy: Int, xT: UnsafePointer<Float>,
                             w: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, fresh: Bool) {
        let y0 = y + r * ldy
        var a = fresh ? Wide() : load(y0, as: Wide.self)
        var wp = w, xp = xT + r
        for _ in 0..<depth {
            a = a.addingProduct(Wide(repeating: xp[0]), load(wp, as: Wide.self))
            wp += ldw
            xp += rows
        }
        store(a, y0)
    }

    /// Five accumulators of a tile: one vector of 8 or 16 columns for each of five rows.
    private typealias Five<V: SIMD> = (V, V, V, V, V) where V.Scalar == Float

    /// a[i] += x[i] w for the five rows.
    @inline(__always)
    private static func accumulate<V: SIMD>(_ a: inout Five<V>, _ x: UnsafePointer<Float>, _ w: V) where V.Scalar == Float {
        a.0 = a.0.addingProduct(V(repeating: x[0]), w)
        a.1 = a.1.addingProduct(V(repeating: x[1]), w)
        a.2 = a.2.addingProduct(V(repeating: x[2]), w)
        a.3 = a.3.addingProduct(V(repeating: x[3]), w)
        a.4 = a.4.addingProduct(V(repeating: x[4]), w)
    }

    @inline(__always)
    private static func loadFive<V: SIMD>(_ y: UnsafeMutablePointer<Float>, _ ld: Int, _ fresh: Bool, as: V.Type) -> Five<V>
        where V.Scalar == Float {
        if fresh { return (V(), V(), V(), V(), V()) }
        return (load(y, as: V.self), load(y + ld, as: V.self), load(y + 2 * ld, as: V.self), load(y + 3 * ld, as: V.self),
                load(y + 4 * ld, as: V.self))
    }

    @inline(__always)
    private static func storeFive<V: SIMD>(_ a: Five<V>, _ y: UnsafeMutablePointer<Float>, _ ld: Int) where V.Scalar == Float {
        store(a.0, y); store(a.1, y + ld); store(a.2, y + 2 * ld); store(a.3, y + 3 * ld); store(a.4, y + 4 * ld)
    }

    /// The one-row tile of `tile(five:)`.
    @inline(__always)
    private static func tile(one r: Int, depth: Int, rows: Int, ldw: Int, ldy: Int, xT: UnsafePointer<Float>,
                             w: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, fresh: Bool) {
        let y0 = y + r * ldy
        var a0 = fresh ? Vector() : load(y0)
        var wp = w, xp = xT + r
        for _ in 0..<depth {
            a0 = a0.addingProduct(Vector(repeating: xp[0]), load(wp))
            wp += ldw
            xp += rows
        }
        store(a0, y0)
    }

    /// dx = d W^T for `rows` rows: d is rows x out, W is n x out, dx is rows x n.
    /// The rows `weightRows` of dxT = (d W^T)^T = W d^T (n x rows).
    ///
    /// Each dx[b, i] is a dot product of a d row and a W row; tiles of 4 W rows x 2 d rows (8
    /// accumulators, 4 x 1 for a leftover d row) share their loads. Widths that are not a
    /// multiple of 8, and leftover W rows, take the plain dot product. Written transposed, the
    /// rows of each work item's W rows form one contiguous block (workers writing interleaved
    /// columns of dx slowed each other down, as in `forward`).
    static func inputGradient(rows: Int, n: Int, out: Int, d: UnsafePointer<Float>, w: UnsafePointer<Float>,
                              dxT: UnsafeMutablePointer<Float>, weightRows: Range<Int>) {
        let tiledEnd = out % 8 == 0 ? weightRows.lowerBound + weightRows.count / 4 * 4 : weightRows.lowerBound
        for i in stride(from: weightRows.lowerBound, to: tiledEnd, by: 4) {
            for b in stride(from: 0, to: rows & ~1, by: 2) {
                dots(wRows: i, dRows: b, count: 2, rows: rows, out: out, d: d, w: w, dxT: dxT)
            }
            if rows % 2 == 1 {
                dots(wRows: i, dRows: rows - 1, count: 1, rows: rows, out: out, d: d, w: w, dxT: dxT)
            }
        }
        for i in tiledEnd..<weightRows.upperBound {
            let wi = w + i * out
            for b in 0..<rows {
                let db = d + b * out
                var sum: Float = 0
                for j in 0..<out { sum += db[j] * wi[j] }
                dxT[i * rows + b] = sum
            }
        }
    }

    /// dxT[i, b] for W rows i..<i+4 and d rows b..<b+count (count 2 or 1), out a multiple of 8.
    @inline(__always)
    private static func dots(wRows i: Int, dRows b: Int, count: Int, rows: Int, out: Int, d: UnsafePointer<Float>,
                             w: UnsafePointer<Float>, dxT: UnsafeMutablePointer<Float>) {
        let w0 = w + i * out, w1 = w0 + out, w2 = w1 + out, w3 = w2 + out
        var a0 = Vector(), a1 = Vector(), a2 = Vector(), a3 = Vector()
        let x0 = dxT + i * rows + b
        if count == 2 {
            var c0 = Vector(), c1 = Vector(), c2 = Vector(), c3 = Vector()
            let d0 = d + b * out, d1 = d0 + out
            for j in stride(from: 0, to: out, by: 8) {
                let u0 = load(w0 + j), u1 = load(w1 + j), u2 = load(w2 + j), u3 = load(w3 + j)
                let e0 = load(d0 + j), e1 = load(d1 + j)
                a0 = a0.addingProduct(e0, u0); a1 = a1.addingProduct(e0, u1)
                a2 = a2.addingProduct(e0, u2); a3 = a3.addingProduct(e0, u3)
                c0 = c0.addingProduct(e1, u0); c1 = c1.addingProduct(e1, u1)
                c2 = c2.addingProduct(e1, u2); c3 = c3.addingProduct(e1, u3)
            }
            let x1 = x0 + 1
            x1[0] = c0.sum(); x1[rows] = c1.sum(); x1[2 * rows] = c2.sum(); x1[3 * rows] = c3.sum()
        } else {
            let d0 = d + b * out
            for j in stride(from: 0, to: out, by: 8) {
                let e0 = load(d0 + j)
                a0 = a0.addingProduct(e0, load(w0 + j)); a1 = a1.addingProduct(e0, load(w1 + j))
                a2 = a2.addingProduct(e0, load(w2 + j)); a3 = a3.addingProduct(e0, load(w3 + j))
            }
        }
        x0[0] = a0.sum(); x0[rows] = a1.sum(); x0[2 * rows] = a2.sum(); x0[3 * rows] = a3.sum()
    }

    /// xT = x^T (n x rows) for `forward` and `weightGradientRows` (and dx from dxT).
    static func transpose(rows: Int, n: Int, x: UnsafePointer<Float>, into xT: UnsafeMutablePointer<Float>) {
        for b in 0..<rows {
            for i in 0..<n { xT[i * rows + b] = x[b * n + i] }
        }
    }

    /// Lays out d (rows x out) for `weightGradientRows` as panels of 16 columns, panel p holding
    /// d[b, 16p..<16p+16] for b in 0..<rows contiguously (columns past the last whole panel are
    /// read from d itself).
    ///
    /// Read in place, d (like x, hence xT) is walked with a stride of a whole row, which maps
    /// every row to the same few L1 sets; packed, each gradient tile streams contiguous memory.
    static func pack(rows: Int, out: Int, d: UnsafePointer<Float>, into panels: UnsafeMutablePointer<Float>) {
        for p in 0..<(out / 16) {
            let panel = panels + p * rows * 16
            for b in 0..<rows { (panel + b * 16).update(from: d + b * out + p * 16, count: 16) }
        }
    }

    /// Rows i..<i+count of the weight gradient, g[r, j] = sum_b x[b, i + r] d[b, j] (g is
    /// count x out), each element summed over b in order, from xT and the `pack`ed d.
    ///
    /// Register tiles of 4 weight rows x 16 columns (four 16-lane accumulators, eight 8-lane
    /// registers on AVX2; each d load serves four rows) run over the batch rows; leftover weight
    /// rows take 1 x 16 tiles and leftover columns a plain loop.
    static func weightGradientRows(_ i: Int, count: Int, rows: Int, out: Int, xT: UnsafePointer<Float>,
                                   panels: UnsafePointer<Float>, d: UnsafePointer<Float>,
                                   into g: UnsafeMutablePointer<Float>) {
        let vectorEnd = out - out % 16
        for c in stride(from: 0, to: vectorEnd, by: 16) {
            let panel = panels + c * rows
            if count == 4 {
                gradientTile(xT + i * rows, rows: rows, panel: panel, into: g + c, stride: out)
            } else {
                for r in 0..<count { gradientTile(row: xT + (i + r) * rows, rows: rows, panel: panel, into: g + r * out + c) }
            }
        }
        for r in 0..<count {
            let xr = xT + (i + r) * rows
            for j in vectorEnd..<out {
                var sum: Float = 0
                for b in 0..<rows { sum += xr[b] * d[b * out + j] }
                g[r * out + j] = sum
            }
        }
    }

    /// Four gradient rows x 16 columns: g[r, 0..<16] = sum_b xT[r, b] panel[b, 0..<16].
    @inline(__always)
    private static func gradientTile(_ xT: UnsafePointer<Float>, rows: Int, panel: UnsafePointer<Float>,
                                     into g: UnsafeMutablePointer<Float>, stride: Int) {
        var a0 = Wide(), a1 = Wide(), a2 = Wide(), a3 = Wide()
        let x0 = xT, x1 = x0 + rows, x2 = x1 + rows, x3 = x2 + rows
        for b in 0..<rows {
            let e = load(panel + b * 16, as: Wide.self)
            a0 = a0.addingProduct(Wide(repeating: x0[b]), e); a1 = a1.addingProduct(Wide(repeating: x1[b]), e)
            a2 = a2.addingProduct(Wide(repeating: x2[b]), e); a3 = a3.addingProduct(Wide(repeating: x3[b]), e)
        }
        store(a0, g); store(a1, g + stride); store(a2, g + 2 * stride); store(a3, g + 3 * stride)
    }

    /// One gradient row x 16 columns: g[0..<16] = sum_b xT[b] panel[b, 0..<16].
    @inline(__always)
    private static func gradientTile(row xT: UnsafePointer<Float>, rows: Int, panel: UnsafePointer<Float>,
                                     into g: UnsafeMutablePointer<Float>) {
        var a = Wide()
        for b in 0..<rows { a = a.addingProduct(Wide(repeating: xT[b]), load(panel + b * 16, as: Wide.self)) }
        store(a, g)
    }

    @inline(__always)
    private static func load<V: SIMD>(_ p: UnsafePointer<Float>, as: V.Type = Vector.self) -> V where V.Scalar == Float {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }

    @inline(__always)
    private static func store<V: SIMD>(_ v: V, _ p: UnsafeMutablePointer<Float>) where V.Scalar == Float {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }
}
