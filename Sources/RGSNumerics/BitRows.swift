/// Two-valued matrices as rows of bits (bit k % 64 of word k / 64 of a row is entry k), the
/// operand layout of `TwoValuedProduct`.
public enum BitRows {
    /// Whether every value is a spin, +1 or -1 (two-valued, so products with the values can go
    /// by table lookup).
    ///
    /// Checks 64 values at a time by their bits (x is +-1 exactly when its bits without the sign
    /// are those of 1): a plain loop took 3 ms over the 4,000 lattices of a training call.
    public static func areSpins(_ values: [Float]) -> Bool {
        values.withUnsafeBufferPointer { v in
            guard let base = v.baseAddress else { return true }
            let one = SIMD8<UInt32>(repeating: Float(1).bitPattern), magnitude = SIMD8<UInt32>(repeating: 0x7FFF_FFFF)
            let whole = v.count / 64 * 64
            for start in stride(from: 0, to: whole, by: 64) {
                var differ = SIMD8<UInt32>()
                for j in stride(from: start, to: start + 64, by: 8) {
                    differ |= (UnsafeRawPointer(base + j).loadUnaligned(as: SIMD8<UInt32>.self) & magnitude) ^ one
                }
                if differ != SIMD8() { return false }
            }
            return v[whole...].allSatisfy { $0 == 1 || $0 == -1 }
        }
    }

    /// The words per row of `count` bits.
    public static func words(_ count: Int) -> Int { (count + 63) / 64 }

    /// The number of set bits among bits `bits` of a row.
    public static func count(_ row: UnsafePointer<UInt64>, bits: Range<Int>) -> Int {
        var total = 0, k = bits.lowerBound
        while k < bits.upperBound {
            let offset = k & 63, take = min(64 - offset, bits.upperBound - k)
            let mask: UInt64 = take == 64 ? .max : ((1 << UInt64(take)) - 1) << UInt64(offset)
            total += (row[k >> 6] & mask).nonzeroBitCount
            k += take
        }
        return total
    }

    /// Bit k of row r of `into` is set when x[r, k] > `threshold` (rows of x `stride` floats
    /// apart, `width` entries each; rows of `into` `wordsPerRow` words apart, bits past `width`
    /// cleared).
    public static func pack(_ x: UnsafePointer<Float>, rows: Int, width: Int, stride: Int, threshold: Float,
                            into out: UnsafeMutablePointer<UInt64>, wordsPerRow: Int) {
        let shifts = SIMD16<UInt32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        let limit = SIMD16<Float>(repeating: threshold)
        for r in 0..<rows {
            let row = x + r * stride, words = out + r * wordsPerRow
            words.update(repeating: 0, count: wordsPerRow)
            var k = 0
            while k + 16 <= width {
                let chunk = UnsafeRawPointer(row + k).loadUnaligned(as: SIMD16<Float>.self)
                // limit - x is negative exactly where x > limit: its sign bit is the entry's bit.
                let set = unsafeBitCast(limit - chunk, to: SIMD16<UInt32>.self) &>> 31
                words[k >> 6] |= UInt64((set &<< shifts).wrappedSum()) << UInt64(k & 63)
                k += 16
            }
            while k < width {
                if row[k] > threshold { words[k >> 6] |= 1 << UInt64(k & 63) }
                k += 1
            }
        }
    }

    /// Entry k of row r of `x` (rows `stride` floats apart) becomes `values.set` where bit k of
    /// row r is set, else `values.clear`, for k < `width`: eight entries per byte of bits, from
    /// a table of the 256 byte patterns.
    public static func unpack(_ bits: UnsafePointer<UInt64>, rows: Int, width: Int, wordsPerRow: Int,
                              values: (set: Float, clear: Float), into x: UnsafeMutablePointer<Float>, stride: Int) {
        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: 256) { table in
            for byte in 0..<256 {
                var pattern = SIMD8<Float>(repeating: values.clear)
                for j in 0..<8 where byte >> j & 1 == 1 { pattern[j] = values.set }
                table[byte] = pattern
            }
            for r in 0..<rows {
                let bytes = UnsafeRawPointer(bits + r * wordsPerRow).assumingMemoryBound(to: UInt8.self), row = x + r * stride
                var k = 0
                while k + 8 <= width {
                    UnsafeMutableRawPointer(row + k).storeBytes(of: table[Int(bytes[k >> 3])], as: SIMD8<Float>.self)
                    k += 8
                }
                while k < width {
                    row[k] = bytes[k >> 3] >> UInt8(k & 7) & 1 == 1 ? values.set : values.clear
                    k += 1
                }
            }
        }
    }

    /// The transpose of a `rows` x `columns` bit matrix: row j of `into` holds entry (r, j) as
    /// bit r for r in 0..<rows (bits past `rows` cleared), in 64 x 64 tiles.
    public static func transpose(_ bits: UnsafePointer<UInt64>, rows: Int, columns: Int, wordsPerRow: Int,
                                 into out: UnsafeMutablePointer<UInt64>, wordsPerColumn: Int) {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 64) { buffer in
            let tile = buffer.baseAddress!
            for columnTile in 0..<words(columns) {
                for rowTile in 0..<words(rows) {
                    let r0 = rowTile * 64, count = min(64, rows - r0)
                    for i in 0..<64 { tile[i] = i < count ? bits[(r0 + i) * wordsPerRow + columnTile] : 0 }
                    transposeTile(tile)
                    let c0 = columnTile * 64
                    for j in 0..<min(64, columns - c0) { out[(c0 + j) * wordsPerColumn + rowTile] = tile[j] }
                }
                for j in (columnTile * 64)..<min(columns, columnTile * 64 + 64) {
                    for w in words(rows)..<wordsPerColumn { out[j * wordsPerColumn + w] = 0 }
                }
            }
        }
    }

    /// Transposes a 64 x 64 bit tile in place (bit j of word i <-> bit i of word j): six rounds
    /// that swap the off-diagonal blocks of every 2h x 2h block, h = 32, 16, ..., 1.
    @inline(__always)
    static func transposeTile(_ a: UnsafeMutablePointer<UInt64>) {
        var h = 32
        var mask: UInt64 = 0x0000_0000_FFFF_FFFF
        while h > 0 {
            var k = 0
            while k < 64 {
                for i in k..<(k + h) {
                    let t = ((a[i] &>> UInt64(h)) ^ a[i + h]) & mask
                    a[i] ^= t &<< UInt64(h)
                    a[i + h] ^= t
                }
                k += 2 * h
            }
            h /= 2
            mask ^= mask &<< UInt64(h)
        }
    }
}
