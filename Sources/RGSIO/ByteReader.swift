import RGSNumerics

/// A bounds-checked little-endian cursor over a file's bytes: every read past the end throws a
/// `CoreError` naming the file and the part that was cut short, so no corrupt input can trap.
struct ByteReader {
    let bytes: [UInt8]
    let file: String
    var offset: Int

    init(_ bytes: [UInt8], file: String, offset: Int = 0) {
        self.bytes = bytes
        self.file = file
        self.offset = offset
    }

    /// `count` bytes starting at the cursor, advancing it; `part` names what is being read.
    mutating func take(_ count: Int, _ part: String) throws -> ArraySlice<UInt8> {
        guard count >= 0, offset >= 0, offset <= bytes.count, count <= bytes.count - offset else {
            throw FileFailure.corrupt(file, "truncated \(part) (the file ends after \(bytes.count) bytes)")
        }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    /// An unsigned little-endian integer of `width` bytes (1...8).
    mutating func integer(_ width: Int, _ part: String) throws -> UInt64 {
        let slice = try take(width, part)
        return slice.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    mutating func u16(_ part: String) throws -> Int { Int(try integer(2, part)) }
    mutating func u32(_ part: String) throws -> UInt64 { try integer(4, part) }
    mutating func u64(_ part: String) throws -> UInt64 { try integer(8, part) }
}

/// Little-endian encoding for writers.
extension Array where Element == UInt8 {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
