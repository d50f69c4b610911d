import RGSNumerics

/// Products for small minibatches (a few rows) that stream each weight row once.
///
/// OpenBLAS packs the whole weight matrix on every sgemm call, which for a batch of 10 rows
/// costs as much as the product itself (RECIPES §11: skinny shapes). These loops read W in
/// place; they are deterministic and independent of the thread count like the sgemm path.
enum SmallBatch {
    typealias Vector = SIMD16<Float>

    /// y = x W for `rows` rows: x is rows x n, W is n x out, y is rows x out (row-major).
    ///
    /// Register tiles of 5 rows x 64 columns (20 vector accumulators; 1 row x 64 columns for
    /// the leftover rows) run over blocks of 64 weight rows, so a block is read from memory once
    /// and from cache by the other row tiles. The columns are split into one contiguous range
    /// of 64-column strips per worker; every y element is summed in the same order whatever the
    /// split. Widths that are not a multiple of 64 take a plain row loop on one thread.
    static func forward(rows: Int, n: Int, out: Int, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                        y: UnsafeMutablePointer<Float>) {
        guard out % 64 == 0 else { return forwardRowLoop(rows: rows, n: n, out: out, x: x, w: w, y: y) }
        let strips = out / 64, parts = min(Settings.threads, strips)
        let (sx, sw, sy) = (Shared(x), Shared(w), Shared(y))
        Parallel.forEach(parts) { p in
            let columns = (p * strips / parts * 64)..<((p + 1) * strips / parts * 64)
            forward(rows: rows, n: n, out: out, x: sx.pointer, w: sw.pointer, y: sy.pointer, columns: columns)
        }
    }

    /// `forward` for the columns `columns` (64-aligned) of y.
    private static func forward(rows: Int, n: Int, out: Int, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                                y: UnsafeMutablePointer<Float>, columns: Range<Int>) {
        for r in 0..<rows { (y + r * out + columns.lowerBound).update(repeating: 0, count: columns.count) }
        let tiled = rows - rows % 5
        for k0 in stride(from: 0, to: n, by: 64) {
            let k = k0..<min(n, k0 + 64)
            for c in stride(from: columns.lowerBound, to: columns.upperBound, by: 64) {
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
                while j + 16 <= out {
                    store(load(yb + j) + s * load(wk + j), yb + j)
                    j += 16
                }
                while j < out {
                    yb[j] += s * wk[j]
                    j += 1
                }
            }
        }
    }

    /// y[r..<r+5, c..<c+64] += x[r..<r+5, k] W[k, c..<c+64] (five rows: a batch of 10 splits
    /// into two tiles, and 20 accumulators + 4 weights + 1 broadcast fit the 32 vector registers).
    @inline(__always)
    private static func tile(rows r: Int, column c: Int, k: Range<Int>, n: Int, out: Int, x: UnsafePointer<Float>,
                             w: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        let y0 = y + r * out + c, y1 = y0 + out, y2 = y1 + out, y3 = y2 + out, y4 = y3 + out
        var a00 = load(y0), a01 = load(y0 + 16), a02 = load(y0 + 32), a03 = load(y0 + 48)
        var a10 = load(y1), a11 = load(y1 + 16), a12 = load(y1 + 32), a13 = load(y1 + 48)
        var a20 = load(y2), a21 = load(y2 + 16), a22 = load(y2 + 32), a23 = load(y2 + 48)
        var a30 = load(y3), a31 = load(y3 + 16), a32 = load(y3 + 32), a33 = load(y3 + 48)
        var a40 = load(y4), a41 = load(y4 + 16), a42 = load(y4 + 32), a43 = load(y4 + 48)
        let x0 = x + r * n, x1 = x0 + n, x2 = x1 + n, x3 = x2 + n, x4 = x3 + n
        for kk in k {
            let wk = w + kk * out + c
            let w0 = load(wk), w1 = load(wk + 16), w2 = load(wk + 32), w3 = load(wk + 48)
            let s0 = Vector(repeating: x0[kk]), s1 = Vector(repeating: x1[kk])
            let s2 = Vector(repeating: x2[kk]), s3 = Vector(repeating: x3[kk]), s4 = Vector(repeating: x4[kk])
            a00 += s0 * w0; a01 += s0 * w1; a02 += s0 * w2; a03 += s0 * w3
            a10 += s1 * w0; a11 += s1 * w1; a12 += s1 * w2; a13 += s1 * w3
            a20 += s2 * w0; a21 += s2 * w1; a22 += s2 * w2; a23 += s2 * w3
            a30 += s3 * w0; a31 += s3 * w1; a32 += s3 * w2; a33 += s3 * w3
            a40 += s4 * w0; a41 += s4 * w1; a42 += s4 * w2; a43 += s4 * w3
        }
        store(a00, y0); store(a01, y0 + 16); store(a02, y0 + 32); store(a03, y0 + 48)
        store(a10, y1); store(a11, y1 + 16); store(a12, y1 + 32); store(a13, y1 + 48)
        store(a20, y2); store(a21, y2 + 16); store(a22, y2 + 32); store(a23, y2 + 48)
        store(a30, y3); store(a31, y3 + 16); store(a32, y3 + 32); store(a33, y3 + 48)
        store(a40, y4); store(a41, y4 + 16); store(a42, y4 + 32); store(a43, y4 + 48)
    }

    /// y[r, c..<c+64] += x[r, k] W[k, c..<c+64].
    @inline(__always)
    private static func tile(row r: Int, column c: Int, k: Range<Int>, n: Int, out: Int, x: UnsafePointer<Float>,
                             w: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        let y0 = y + r * out + c, x0 = x + r * n
        var a0 = load(y0), a1 = load(y0 + 16), a2 = load(y0 + 32), a3 = load(y0 + 48)
        for kk in k {
            let wk = w + kk * out + c
            let s = Vector(repeating: x0[kk])
            a0 += s * load(wk); a1 += s * load(wk + 16); a2 += s * load(wk + 32); a3 += s * load(wk + 48)
        }
        store(a0, y0); store(a1, y0 + 16); store(a2, y0 + 32); store(a3, y0 + 48)
    }

    /// dx = d W^T for `rows` rows: d is rows x out, W is n x out, dx is rows x n.
    static func inputGradient(rows: Int, n: Int, out: Int, d: UnsafePointer<Float>, w: UnsafePointer<Float>,
                              dx: UnsafeMutablePointer<Float>) {
        inputGradient(rows: rows, n: n, out: out, d: d, w: w, dx: dx, weightRows: 0..<n)
    }

    /// The columns `weightRows` of dx = d W^T.
    ///
    /// Each dx[b, i] is a dot product of a d row and a W row; tiles of 4 W rows x 4 d rows (16
    /// vector accumulators, 4 x 1 for leftover d rows) share their loads. Widths that are not a
    /// multiple of 16, and leftover W rows, take the plain dot product.
    static func inputGradient(rows: Int, n: Int, out: Int, d: UnsafePointer<Float>, w: UnsafePointer<Float>,
                              dx: UnsafeMutablePointer<Float>, weightRows: Range<Int>) {
        let tiledEnd = out % 16 == 0 ? weightRows.lowerBound + weightRows.count / 4 * 4 : weightRows.lowerBound
        for i in stride(from: weightRows.lowerBound, to: tiledEnd, by: 4) {
            for b in stride(from: 0, to: rows & ~3, by: 4) {
                dots(wRows: i, dRows: b, count: 4, n: n, out: out, d: d, w: w, dx: dx)
            }
            for b in (rows & ~3)..<rows {
                dots(wRows: i, dRows: b, count: 1, n: n, out: out, d: d, w: w, dx: dx)
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

    /// dx[b, i] for W rows i..<i+4 and d rows b..<b+count (count 4 or 1), out a multiple of 16.
    @inline(__always)
    private static func dots(wRows i: Int, dRows b: Int, count: Int, n: Int, out: Int, d: UnsafePointer<Float>,
                             w: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>) {
        let w0 = w + i * out, w1 = w0 + out, w2 = w1 + out, w3 = w2 + out
        var acc = (Vector(), Vector(), Vector(), Vector(), Vector(), Vector(), Vector(), Vector(),
                   Vector(), Vector(), Vector(), Vector(), Vector(), Vector(), Vector(), Vector())
        if count == 4 {
            let d0 = d + b * out, d1 = d0 + out, d2 = d1 + out, d3 = d2 + out
            for j in stride(from: 0, to: out, by: 16) {
                let u0 = load(w0 + j), u1 = load(w1 + j), u2 = load(w2 + j), u3 = load(w3 + j)
                let e0 = load(d0 + j), e1 = load(d1 + j), e2 = load(d2 + j), e3 = load(d3 + j)
                acc.0 += e0 * u0; acc.1 += e0 * u1; acc.2 += e0 * u2; acc.3 += e0 * u3
                acc.4 += e1 * u0; acc.5 += e1 * u1; acc.6 += e1 * u2; acc.7 += e1 * u3
                acc.8 += e2 * u0; acc.9 += e2 * u1; acc.10 += e2 * u2; acc.11 += e2 * u3
                acc.12 += e3 * u0; acc.13 += e3 * u1; acc.14 += e3 * u2; acc.15 += e3 * u3
            }
            let x0 = dx + b * n + i, x1 = x0 + n, x2 = x1 + n, x3 = x2 + n
            x0[0] = acc.0.sum(); x0[1] = acc.1.sum(); x0[2] = acc.2.sum(); x0[3] = acc.3.sum()
            x1[0] = acc.4.sum(); x1[1] = acc.5.sum(); x1[2] = acc.6.sum(); x1[3] = acc.7.sum()
            x2[0] = acc.8.sum(); x2[1] = acc.9.sum(); x2[2] = acc.10.sum(); x2[3] = acc.11.sum()
            x3[0] = acc.12.sum(); x3[1] = acc.13.sum(); x3[2] = acc.14.sum(); x3[3] = acc.15.sum()
        } else {
            let d0 = d + b * out
            for j in stride(from: 0, to: out, by: 16) {
                let e0 = load(d0 + j)
                acc.0 += e0 * load(w0 + j); acc.1 += e0 * load(w1 + j)
                acc.2 += e0 * load(w2 + j); acc.3 += e0 * load(w3 + j)
            }
            dx[b * n + i] = acc.0.sum(); dx[b * n + i + 1] = acc.1.sum()
            dx[b * n + i + 2] = acc.2.sum(); dx[b * n + i + 3] = acc.3.sum()
        }
    }

    /// Row i of the weight gradient, g[j] = sum_b x[b, i] d[b, j] (x is rows x n, d is rows x
    /// out), summed over the rows in registers 64 columns at a time.
    static func weightGradientRow(_ i: Int, rows: Int, n: Int, out: Int, x: UnsafePointer<Float>,
                                  d: UnsafePointer<Float>, into g: UnsafeMutablePointer<Float>) {
        let vectorEnd = out - out % 64
        for c in stride(from: 0, to: vectorEnd, by: 64) {
            var a0 = Vector(), a1 = Vector(), a2 = Vector(), a3 = Vector()
            for b in 0..<rows {
                let s = Vector(repeating: x[b * n + i]), db = d + b * out + c
                a0 += s * load(db); a1 += s * load(db + 16); a2 += s * load(db + 32); a3 += s * load(db + 48)
            }
            store(a0, g + c); store(a1, g + c + 16); store(a2, g + c + 32); store(a3, g + c + 48)
        }
        for j in vectorEnd..<out {
            var sum: Float = 0
            for b in 0..<rows { sum += x[b * n + i] * d[b * out + j] }
            g[j] = sum
        }
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
