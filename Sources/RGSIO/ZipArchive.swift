import CZlib
import RGSNumerics

/// The subset of the ZIP format that `.npz` files use (APPNOTE.TXT): a list of named members.
///
/// Reading accepts stored and deflated members (`numpy.savez` / `savez_compressed`), ZIP64 sizes and
/// offsets (numpy always writes a ZIP64 extra field), and checks every member's CRC-32. Writing
/// stores members uncompressed with a fixed timestamp, so equal contents give equal files.
enum ZipArchive {
    /// One member: its name and its (uncompressed) bytes.
    struct Member {
        var name: String
        var bytes: [UInt8]
    }

    private static let localSignature: UInt64 = 0x0403_4B50
    private static let centralSignature: UInt64 = 0x0201_4B50
    private static let endSignature: UInt64 = 0x0605_4B50
    private static let zip64EndSignature: UInt64 = 0x0606_4B50
    private static let zip64LocatorSignature: UInt64 = 0x0706_4B50
    /// The 4-byte field value that means "see the ZIP64 extra field".
    private static let overflow32: UInt64 = 0xFFFF_FFFF

    // MARK: Reading

    /// The members of the archive in `data`, in directory order.
    static func members(of data: [UInt8], file: String) throws -> [Member] {
        let directory = try centralDirectory(data, file: file)
        var reader = ByteReader(data, file: file, offset: directory.offset)
        return try (0..<directory.entries).map { _ in try member(at: &reader, in: data, file: file) }
    }

    /// Where the central directory starts and how many entries it has, from the end records.
    private static func centralDirectory(_ data: [UInt8], file: String) throws -> (offset: Int, entries: Int) {
        // The end record is 22 bytes plus a comment of at most 65535 bytes.
        let earliest = max(0, data.count - 22 - 0xFFFF)
        guard data.count >= 22, let end = stride(from: data.count - 22, through: earliest, by: -1).first(where: {
            data[$0] == 0x50 && data[$0 + 1] == 0x4B && data[$0 + 2] == 0x05 && data[$0 + 3] == 0x06
        }) else {
            throw FileFailure.corrupt(file, "not a zip archive (no end-of-directory record; is it cut short?)")
        }
        var reader = ByteReader(data, file: file, offset: end + 10)
        var entries = UInt64(try reader.u16("end record"))
        reader.offset += 4
        var offset = try reader.u32("end record")
        if entries == 0xFFFF || offset == overflow32 {
            var locator = ByteReader(data, file: file, offset: end - 20)
            guard end >= 20, try locator.u32("ZIP64 locator") == zip64LocatorSignature else {
                throw FileFailure.corrupt(file, "damaged zip archive (missing ZIP64 end record)")
            }
            locator.offset += 4
            var record = ByteReader(data, file: file, offset: try checked(locator.u64("ZIP64 locator"), file))
            guard try record.u32("ZIP64 end record") == zip64EndSignature else {
                throw FileFailure.corrupt(file, "damaged zip archive (bad ZIP64 end record)")
            }
            record.offset += 28
            entries = try record.u64("ZIP64 end record")
            record.offset += 8
            offset = try record.u64("ZIP64 end record")
        }
        return (try checked(offset, file), try checked(entries, file))
    }

    /// Reads the central-directory entry at the cursor and extracts its member.
    private static func member(at reader: inout ByteReader, in data: [UInt8], file: String) throws -> Member {
        guard try reader.u32("central directory") == centralSignature else {
            throw FileFailure.corrupt(file, "damaged zip archive (bad central directory entry)")
        }
        reader.offset += 4
        let flags = try reader.u16("central directory")
        let method = try reader.u16("central directory")
        reader.offset += 4
        let crc = try reader.u32("central directory")
        var compressedSize = try reader.u32("central directory")
        var size = try reader.u32("central directory")
        let nameLength = try reader.u16("central directory")
        let extraLength = try reader.u16("central directory")
        let commentLength = try reader.u16("central directory")
        reader.offset += 8
        var localOffset = try reader.u32("central directory")
        let name = String(decoding: try reader.take(nameLength, "member name"), as: UTF8.self)
        var extra = ByteReader(Array(try reader.take(extraLength, "extra field")), file: file)
        _ = try reader.take(commentLength, "member comment")
        // The ZIP64 extra field (id 1) lists, in this order, only the fields that overflowed.
        while extra.offset + 4 <= extra.bytes.count {
            let id = try extra.u16("extra field"), length = try extra.u16("extra field")
            guard id == 1 else { _ = try extra.take(length, "extra field"); continue }
            var zip64 = ByteReader(Array(try extra.take(length, "ZIP64 field")), file: file)
            if size == overflow32 { size = try zip64.u64("ZIP64 field") }
            if compressedSize == overflow32 { compressedSize = try zip64.u64("ZIP64 field") }
            if localOffset == overflow32 { localOffset = try zip64.u64("ZIP64 field") }
        }
        guard flags & 1 == 0 else { throw FileFailure.corrupt(file, "member '\(name)' is encrypted") }

        var local = ByteReader(data, file: file, offset: try checked(localOffset, file))
        guard try local.u32("local header") == localSignature else {
            throw FileFailure.corrupt(file, "damaged zip archive (bad local header for '\(name)')")
        }
        local.offset += 22
        let skip = try local.u16("local header") + local.u16("local header")
        _ = try local.take(skip, "local header")
        let stored = try local.take(try checked(compressedSize, file), "member '\(name)'")
        let bytes: [UInt8]
        switch method {
        case 0:
            guard compressedSize == size else { throw FileFailure.corrupt(file, "member '\(name)' has inconsistent sizes") }
            bytes = Array(stored)
        case 8: bytes = try inflate(stored, size: try checked(size, file), member: name, file: file)
        default:
            throw FileFailure.corrupt(file, "member '\(name)' uses unsupported compression method \(method)",
                                      hint: "rgs reads stored and deflated members (numpy.savez, savez_compressed)")
        }
        guard checksum(bytes) == crc else { throw FileFailure.corrupt(file, "CRC mismatch in member '\(name)' (the data is corrupted)") }
        return Member(name: name, bytes: bytes)
    }

    /// A size or offset from the file as an Int, refusing values no real file can have.
    private static func checked(_ value: UInt64, _ file: String) throws -> Int {
        guard let int = Int(exactly: value), int <= Int(Int32.max) * 1024 else {
            throw FileFailure.corrupt(file, "damaged zip archive (impossible size or offset \(value))")
        }
        return int
    }

    /// Raw-deflate decompression of a member that must expand to exactly `size` bytes.
    private static func inflate(_ input: ArraySlice<UInt8>, size: Int, member: String, file: String) throws -> [UInt8] {
        // Deflate cannot expand more than 1032:1, so a larger claimed size is corruption, not memory to allocate.
        guard size <= (input.count + 1) * 1032 else {
            throw FileFailure.corrupt(file, "member '\(member)' claims an impossible uncompressed size")
        }
        var output = [UInt8](repeating: 0, count: size)
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CoreError("cannot load '\(file)': zlib failed to start")
        }
        defer { inflateEnd(&stream) }
        var input = Array(input)
        let status = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == size else {
            throw FileFailure.corrupt(file, "member '\(member)' does not decompress (damaged deflate data)")
        }
        return output
    }

    /// The CRC-32 of `bytes` (the ZIP polynomial, via zlib).
    static func checksum(_ bytes: [UInt8]) -> UInt64 {
        UInt64(bytes.withUnsafeBufferPointer { crc32_z(0, $0.baseAddress, $0.count) })
    }

    // MARK: Writing

    /// A zip archive holding `members` uncompressed.
    static func encode(_ members: [Member], file: String) throws -> [UInt8] {
        guard members.count < 0xFFFF else { throw FileFailure.unwritable(file, "too many arrays (\(members.count)) for one archive") }
        var out: [UInt8] = []
        var directory: [UInt8] = []
        for member in members {
            try Cancellation.check()
            let name = Array(member.name.utf8)
            guard out.count < overflow32, member.bytes.count < overflow32, name.count <= 0xFFFF else {
                throw FileFailure.unwritable(file, "the archive would exceed 4 GiB",
                                             hint: "save the arrays as separate .npy files")
            }
            let crc = UInt32(checksum(member.bytes)), size = UInt32(member.bytes.count)
            // Fields shared by the local header and the central entry: version needed (2.0), flags
            // (bit 11: UTF-8 names), method (stored), time, date (1980-01-01), CRC, sizes, name length.
            var common: [UInt8] = []
            for field: UInt16 in [20, 0x0800, 0, 0, 0x21] { common.appendLittleEndian(field) }
            for field in [crc, size, size] { common.appendLittleEndian(field) }
            common.appendLittleEndian(UInt16(name.count))

            directory.appendLittleEndian(UInt32(centralSignature))
            directory.appendLittleEndian(UInt16(20))  // made by: MS-DOS, version 2.0
            directory += common
            for field: UInt16 in [0, 0, 0, 0] { directory.appendLittleEndian(field) }  // extra, comment, disk, attributes
            directory.appendLittleEndian(UInt32(0))  // external attributes
            directory.appendLittleEndian(UInt32(out.count))
            directory += name

            out.appendLittleEndian(UInt32(localSignature))
            out += common
            out.appendLittleEndian(UInt16(0))  // extra length
            out += name
            out += member.bytes
        }
        guard out.count + directory.count < overflow32 else {
            throw FileFailure.unwritable(file, "the archive would exceed 4 GiB", hint: "save the arrays as separate .npy files")
        }
        let directoryOffset = out.count
        out += directory
        out.appendLittleEndian(UInt32(endSignature))
        for field: UInt16 in [0, 0, UInt16(members.count), UInt16(members.count)] { out.appendLittleEndian(field) }
        out.appendLittleEndian(UInt32(directory.count))
        out.appendLittleEndian(UInt32(directoryOffset))
        out.appendLittleEndian(UInt16(0))  // comment length
        return out
    }
}
