import RGSNumerics

/// The `.npy` format, version 1.0 / 2.0 (written) and 1.0 / 2.0 / 3.0 (read), as specified in
/// numpy's `numpy/lib/format.py`: the magic `\x93NUMPY`, a major and minor version byte, the header
/// length (2 bytes in 1.0, 4 bytes after), the header dictionary padded with spaces and ended by
/// '\n' so that the data starts on a 64-byte boundary, then the raw data.
extension NpyArray {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// The bytes of a `.npy` file holding this array, identical to what `numpy.save` writes.
    public func encoded() -> [UInt8] {
        let header = Array(NpyHeader(descr: dtype.descr, fortranOrder: false, shape: shape).text.utf8)
        // Version 1.0 stores the header length in 2 bytes; fall back to 4 bytes (2.0) when it overflows.
        func padding(_ lengthBytes: Int) -> Int { 64 - (NpyArray.magic.count + 2 + lengthBytes + header.count + 1) % 64 }
        let lengthBytes = header.count + 1 + padding(2) <= 0xFFFF ? 2 : 4
        let headerLength = header.count + 1 + padding(lengthBytes)
        var out = NpyArray.magic + [lengthBytes == 2 ? 1 : 2, 0]
        out.reserveCapacity(out.count + lengthBytes + headerLength + bytes.count)
        if lengthBytes == 2 { out.appendLittleEndian(UInt16(headerLength)) } else { out.appendLittleEndian(UInt32(headerLength)) }
        out += header
        out += [UInt8](repeating: 0x20, count: padding(lengthBytes))
        out.append(0x0A)
        out += bytes
        return out
    }

    /// Reads a `.npy` file's bytes; `file` names it in errors.
    public init(decoding data: [UInt8], file: String) throws {
        var reader = ByteReader(data, file: file)
        let magic = try reader.take(6, "magic string")
        guard Array(magic) == NpyArray.magic else {
            throw FileFailure.corrupt(file, "not a .npy file (bad magic string)",
                                      hint: data.starts(with: [0x50, 0x4B]) ? "it is a zip archive: name it .npz" : nil)
        }
        let version = try reader.take(2, "version")
        let major = version[version.startIndex], minor = version[version.startIndex + 1]
        guard (1...3).contains(major), minor == 0 else {
            throw FileFailure.corrupt(file, "unsupported .npy format version \(major).\(minor)",
                                      hint: "rgs reads versions 1.0, 2.0 and 3.0")
        }
        let headerLength = major == 1 ? try reader.u16("header length") : Int(try reader.u32("header length"))
        let headerBytes = try reader.take(headerLength, "header")
        // Versions 1 and 2 promise latin-1 headers, version 3 UTF-8; the keys numpy writes are ASCII.
        let text = major == 3 ? String(decoding: headerBytes, as: UTF8.self)
            : String(String.UnicodeScalarView(headerBytes.map { Unicode.Scalar($0) }))
        let header = try NpyHeader(parsing: text, file: file)
        guard let (dtype, bigEndian) = NpyArray.dtype(descr: header.descr) else {
            throw FileFailure.corrupt(file, "unsupported dtype '\(header.descr)'",
                                      hint: "rgs reads bool, int8, uint8, int16, int32, int64, float32 and float64")
        }
        let count: Int
        do { count = try NpyArray.elementCount(header.shape) } catch let error as CoreError {
            throw FileFailure.corrupt(file, error.message)
        }
        let available = data.count - reader.offset
        let (needed, overflow) = count.multipliedReportingOverflow(by: dtype.size)
        guard !overflow, needed == available else {
            let what = available < needed || overflow ? "truncated data" : "extra data after the array"
            throw FileFailure.corrupt(file, "\(what): shape \(NpyArray.describe(header.shape)) of \(dtype) "
                                      + "needs \(overflow ? "too many" : String(needed)) bytes, the file has \(available)")
        }
        var raw = Array(try reader.take(needed, "data"))
        if bigEndian { NpyArray.swapBytes(&raw, size: dtype.size) }
        if header.fortranOrder { raw = NpyArray.cOrder(fromFortran: raw, shape: header.shape, size: dtype.size) }
        try self.init(dtype: dtype, shape: header.shape, bytes: raw)
    }

    /// Reads the `.npy` file at `path`.
    public static func load(from path: String) throws -> NpyArray {
        try NpyArray(decoding: FileContents.read(path), file: path)
    }

    /// Writes this array to a `.npy` file at `path`, atomically.
    public func save(to path: String) throws {
        let bytes = encoded()
        try Cancellation.check()
        try AtomicFile.write(bytes, to: path)
    }

    /// The dtype for a numpy type string and whether its data is big-endian.
    static func dtype(descr: String) -> (DType, bigEndian: Bool)? {
        guard let order = descr.first, "<>|=".contains(order) else { return nil }
        let code = descr.dropFirst()
        guard let dtype = DType.allCases.first(where: { $0.descr.dropFirst() == code }) ?? (code == "?" ? .bool : nil)
        else { return nil }
        return (dtype, order == ">" && dtype.size > 1)
    }

    private static func swapBytes(_ raw: inout [UInt8], size: Int) {
        for start in stride(from: 0, to: raw.count, by: size) { raw[start..<(start + size)].reverse() }
    }

    /// Reorders column-major (Fortran) element bytes into row-major (C) order.
    private static func cOrder(fromFortran raw: [UInt8], shape: [Int], size: Int) -> [UInt8] {
        guard shape.count > 1, !raw.isEmpty else { return raw }
        var out = [UInt8](repeating: 0, count: raw.count)
        var index = [Int](repeating: 0, count: shape.count)
        var fortranStrides = [Int](repeating: 1, count: shape.count)
        for axis in 1..<shape.count { fortranStrides[axis] = fortranStrides[axis - 1] * shape[axis - 1] }
        for element in 0..<(raw.count / size) {
            let source = zip(index, fortranStrides).reduce(0) { $0 + $1.0 * $1.1 } * size
            out[(element * size)..<((element + 1) * size)] = raw[source..<(source + size)]
            // Advance the C-order multi-index: the last axis runs fastest.
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < shape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return out
    }
}
