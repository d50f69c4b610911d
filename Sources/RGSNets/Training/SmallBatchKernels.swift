/// Products for small minibatches (a few rows) that stream each weight row once.
///
/// OpenBLAS packs the whole weight matrix on every sgemm call, which for a batch of 10 rows
/// costs as much as the product itself (RECIPES §11: skinny shapes). These loops read W in
/// place; they are deterministic and independent of the thread count like the sgemm path.
enum SmallBatch {
    typealias Vector = SIMD16<Float>

    /// y = x W for `rows` rows: x is rows x n, W is n x out, y is rows x out (row-major).
    static func forward(rows: Int, n: Int, out: Int, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                        y: UnsafeMutablePointer<Float>) {
        y.update(repeating: 0, count: rows * out)
        let vectorEnd = out & ~15
        for k in 0..<n {
            let wk = w + k * out
            for b in 0..<rows {
                let s = x[b * n + k]
                let yb = y + b * out
                var j = 0
                while j < vectorEnd {
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

    /// dx = d W^T for `rows` rows: d is rows x out, W is n x out, dx is rows x n.
    static func inputGradient(rows: Int, n: Int, out: Int, d: UnsafePointer<Float>, w: UnsafePointer<Float>,
                              dx: UnsafeMutablePointer<Float>) {
        let vectorEnd = out & ~15
        for i in 0..<n {
            let wi = w + i * out
            for b in 0..<rows {
                let db = d + b * out
                var acc = Vector()
                var j = 0
                while j < vectorEnd {
                    acc += load(db + j) * load(wi + j)
                    j += 16
                }
                var sum = acc.sum()
                while j < out {
                    sum += db[j] * wi[j]
                    j += 1
                }
                dx[b * n + i] = sum
            }
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
