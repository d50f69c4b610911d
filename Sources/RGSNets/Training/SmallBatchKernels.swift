import RGSNumerics

/// Products for small minibatches (at most `Workspace.fusedBatch` rows) that stream each weight
/// row once.
///
/// OpenBLAS packs the whole weight matrix on every sgemm call, which for a batch of 10 rows
/// costs as much as the product itself (RECIPES §11: skinny shapes). These loops read W in
/// place; they are deterministic and independent of the thread count like the sgemm path.
///
/// Register tiles are sized for 16 eight-lane registers: AVX2 machines have no more (a tile of
/// 16-lane accumulators spills there), and AMD's AVX-512 cores run a 16-lane FMA as two 8-lane
/// halves, so the 8-lane tiles reach the same FLOP rate on both.
enum SmallBatch {
    typealias Vector = SIMD8<Float>

    /// y = x W for `rows` rows: x is rows x n, W is n x out, y is rows x out (row-major).
    ///
    /// Register tiles of 5 rows x 16 columns (10 accumulators; 1 row x 16 columns for the
    /// leftover rows) run over blocks of 64 weight rows, so a 64 x 16 weight block is read from
    /// memory once and from L1 by the other row tiles. Each 64-column strip is a work item for
    /// the workers; every y element is summed in the same order whatever the split. Widths that
    /// are not a multiple of 64 take a plain row loop on one thread.
    static func forward(rows: Int, n: Int, out: Int, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                        y: UnsafeMutablePointer<Float>) {
        guard out % 64 == 0 else { return forwardRowLoop(rows: rows, n: n, out: out, x: x, w: w, y: y) }
        let (sx, sw, sy) = (Shared(x), Shared(w), Shared(y))
        Parallel.forEach(out / 64) { p in
            forward(rows: rows, n: n, out: out, x: sx.pointer, w: sw.pointer, y: sy.pointer, columns: (p * 64)..<(p * 64 + 64))
        }
    }

    /// `forward` for the columns `columns` (64-aligned) of y.
    private static func forward(rows: Int, n: Int, out: Int, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                                y: UnsafeMutablePointer<Float>, columns: Range<Int>) {
        for r in 0..<rows { (y + r * out + columns.lowerBound).update(repeating: 0, count: columns.count) }
        let tiled = rows - rows % 5
        for k0 in stride(from: 0, to: n, by: 64) {
            let k = k0..<min(n, k0 + 64)
            for c in stride(from: columns.lowerBound, to: columns.upperBound, by: 16) {
                for r in stride(from: 0, to: tiled, by: 5) {
                    tile(rows: r, column: c, k: k, n: n, out: out, x: x, w: w, y: y)
                }
                for r in tiled..<rows {
                    tile(row: r, column: c, k: k, n: n, out: out, x: x, w: w, y: y)
                }
            }
        }
    }

    /// y = x W by rows, for any width.
    private static func forwardRowLoop(rows: Int, n: Int, out: Int, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                                       y: UnsafeMutablePointer<Float>) {
        y.update(repeating: 0, count: rows * out)
        for k in 0..<n {
            let wk = w + k * out
            for b in 0..<rows {
                let s = x[b * n + k]
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

    /// y[r..<r+5, c..<c+16] += x[r..<r+5, k] W[k, c..<c+16] (five rows: a batch of 10 splits
    /// into two tiles; 10 accumulators, 2 weights and 1 broadcast fit 16 registers).
    @inline(__always)
    private static func tile(rows r: Int, column c: Int, k: Range<Int>, n: Int, out: Int, x: UnsafePointer<Float>,
                             w: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        let y0 = y + r * out + c, y1 = y0 + out, y2 = y1 + out, y3 = y2 + out, y4 = y3 + out
        var a00 = load(y0), a01 = load(y0 + 8), a10 = load(y1), a11 = load(y1 + 8)
        var a20 = load(y2), a21 = load(y2 + 8), a30 = load(y3), a31 = load(y3 + 8)
        var a40 = load(y4), a41 = load(y4 + 8)
        let x0 = x + r * n, x1 = x0 + n, x2 = x1 + n, x3 = x2 + n, x4 = x3 + n
        for kk in k {
            let wk = w + kk * out + c
            let w0 = load(wk), w1 = load(wk + 8)
            let s0 = Vector(repeating: x0[kk]), s1 = Vector(repeating: x1[kk])
            a00 = a00.addingProduct(s0, w0); a01 = a01.addingProduct(s0, w1)
            a10 = a10.addingProduct(s1, w0); a11 = a11.addingProduct(s1, w1)
            let s2 = Vector(repeating: x2[kk]), s3 = Vector(repeating: x3[kk]), s4 = Vector(repeating: x4[kk])
            a20 = a20.addingProduct(s2, w0); a21 = a21.addingProduct(s2, w1)
            a30 = a30.addingProduct(s3, w0); a31 = a31.addingProduct(s3, w1)
            a40 = a40.addingProduct(s4, w0); a41 = a41.addingProduct(s4, w1)
        }
        store(a00, y0); store(a01, y0 + 8); store(a10, y1); store(a11, y1 + 8)
        store(a20, y2); store(a21, y2 + 8); store(a30, y3); store(a31, y3 + 8)
        store(a40, y4); store(a41, y4 + 8)
    }

    /// y[r, c..<c+16] += x[r, k] W[k, c..<c+16].
    @inline(__always)
    private static func tile(row r: Int, column c: Int, k: Range<Int>, n: Int, out: Int, x: UnsafePointer<Float>,
                             w: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        let y0 = y + r * out + c, x0 = x + r * n
        var a0 = load(y0), a1 = load(y0 + 8)
        for kk in k {
            let wk = w + kk * out + c
            let s = Vector(repeating: x0[kk])
            a0 = a0.addingProduct(s, load(wk)); a1 = a1.addingProduct(s, load(wk + 8))
        }
        store(a0, y0); store(a1, y0 + 8)
    }

    /// dx = d W^T for `rows` rows: d is rows x out, W is n x out, dx is rows x n.
    static func inputGradient(rows: Int, n: Int, out: Int, d: UnsafePointer<Float>, w: UnsafePointer<Float>,
                              dx: UnsafeMutablePointer<Float>) {
        inputGradient(rows: rows, n: n, out: out, d: d, w: w, dx: dx, weightRows: 0..<n)
    }

    /// The columns `weightRows` of dx = d W^T.
    ///
    /// Each dx[b, i] is a dot product of a d row and a W row; tiles of 4 W rows x 2 d rows (8
    /// accumulators, 4 x 1 for a leftover d row) share their loads. Widths that are not a
    /// multiple of 8, and leftover W rows, take the plain dot product.
    static func inputGradient(rows: Int, n: Int, out: Int, d: UnsafePointer<Float>, w: UnsafePointer<Float>,
                              dx: UnsafeMutablePointer<Float>, weightRows: Range<Int>) {
        let tiledEnd = out % 8 == 0 ? weightRows.lowerBound + weightRows.count / 4 * 4 : weightRows.lowerBound
        for i in stride(from: weightRows.lowerBound, to: tiledEnd, by: 4) {
            for b in stride(from: 0, to: rows & ~1, by: 2) {
                dots(wRows: i, dRows: b, count: 2, n: n, out: out, d: d, w: w, dx: dx)
            }
            if rows % 2 == 1 {
                dots(wRows: i, dRows: rows - 1, count: 1, n: n, out: out, d: d, w: w, dx: dx)
            }
        }
        for i in tiledEnd..<weightRows.upperBound {
            let wi = w + i * out
            for b in 0..<rows {
                let db = d + b * out
                var sum: Float = 0
                for j in 0..<out { sum += db[j] * wi[j] }
                dx[b * n + i] = sum
            }
        }
    }

    /// dx[b, i] for W rows i..<i+4 and d rows b..<b+count (count 2 or 1), out a multiple of 8.
    @inline(__always)
    private static func dots(wRows i: Int, dRows b: Int, count: Int, n: Int, out: Int, d: UnsafePointer<Float>,
                             w: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>) {
        let w0 = w + i * out, w1 = w0 + out, w2 = w1 + out, w3 = w2 + out
        var a0 = Vector(), a1 = Vector(), a2 = Vector(), a3 = Vector()
        let x0 = dx + b * n + i
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
            let x1 = x0 + n
            x1[0] = c0.sum(); x1[1] = c1.sum(); x1[2] = c2.sum(); x1[3] = c3.sum()
        } else {
            let d0 = d + b * out
            for j in stride(from: 0, to: out, by: 8) {
                let e0 = load(d0 + j)
                a0 = a0.addingProduct(e0, load(w0 + j)); a1 = a1.addingProduct(e0, load(w1 + j))
                a2 = a2.addingProduct(e0, load(w2 + j)); a3 = a3.addingProduct(e0, load(w3 + j))
            }
        }
        x0[0] = a0.sum(); x0[1] = a1.sum(); x0[2] = a2.sum(); x0[3] = a3.sum()
    }

    /// Lays out a batch for `weightGradientRows`: xT = x^T (n x rows) and d (rows x out) as
    /// panels of 16 columns, panel p holding d[b, 16p..<16p+16] for b in 0..<rows contiguously
    /// (columns past the last whole panel are read from d itself).
    ///
    /// Read in place, both walk the batch with a stride of a whole row, which maps every row to
    /// the same few L1 sets; packed, each gradient tile streams contiguous memory.
    static func pack(rows: Int, n: Int, out: Int, x: UnsafePointer<Float>, d: UnsafePointer<Float>,
                     xT: UnsafeMutablePointer<Float>, panels: UnsafeMutablePointer<Float>) {
        for b in 0..<rows {
            for i in 0..<n { xT[i * rows + b] = x[b * n + i] }
        }
        for p in 0..<(out / 16) {
            let panel = panels + p * rows * 16
            for b in 0..<rows { (panel + b * 16).update(from: d + b * out + p * 16, count: 16) }
        }
    }

    /// Rows i..<i+count of the weight gradient, g[r, j] = sum_b x[b, i + r] d[b, j] (g is
    /// count x out), each element summed over b in order, from the `pack`ed batch.
    ///
    /// Register tiles of 4 weight rows x 16 columns (8 accumulators; each d load serves four
    /// rows) run over the batch rows; leftover weight rows take 1 x 16 tiles and leftover
    /// columns a plain loop.
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
        var a00 = Vector(), a01 = Vector(), a10 = Vector(), a11 = Vector()
        var a20 = Vector(), a21 = Vector(), a30 = Vector(), a31 = Vector()
        let x0 = xT, x1 = x0 + rows, x2 = x1 + rows, x3 = x2 + rows
        for b in 0..<rows {
            let e0 = load(panel + b * 16), e1 = load(panel + b * 16 + 8)
            let s0 = Vector(repeating: x0[b]), s1 = Vector(repeating: x1[b])
            a00 = a00.addingProduct(s0, e0); a01 = a01.addingProduct(s0, e1)
            a10 = a10.addingProduct(s1, e0); a11 = a11.addingProduct(s1, e1)
            let s2 = Vector(repeating: x2[b]), s3 = Vector(repeating: x3[b])
            a20 = a20.addingProduct(s2, e0); a21 = a21.addingProduct(s2, e1)
            a30 = a30.addingProduct(s3, e0); a31 = a31.addingProduct(s3, e1)
        }
        let g0 = g, g1 = g0 + stride, g2 = g1 + stride, g3 = g2 + stride
        store(a00, g0); store(a01, g0 + 8); store(a10, g1); store(a11, g1 + 8)
        store(a20, g2); store(a21, g2 + 8); store(a30, g3); store(a31, g3 + 8)
    }

    /// One gradient row x 16 columns: g[0..<16] = sum_b xT[b] panel[b, 0..<16].
    @inline(__always)
    private static func gradientTile(row xT: UnsafePointer<Float>, rows: Int, panel: UnsafePointer<Float>,
                                     into g: UnsafeMutablePointer<Float>) {
        var a0 = Vector(), a1 = Vector()
        for b in 0..<rows {
            let s = Vector(repeating: xT[b])
            a0 = a0.addingProduct(s, load(panel + b * 16)); a1 = a1.addingProduct(s, load(panel + b * 16 + 8))
        }
        store(a0, g); store(a1, g + 8)
    }

    @inline(__always)
    private static func load(_ p: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(p).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    private static func load(_ p: UnsafeMutablePointer<Float>) -> Vector {
        UnsafeRawPointer(p).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    private static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector.self)
    }
}
