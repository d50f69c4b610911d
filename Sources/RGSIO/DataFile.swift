import RGSNumerics

/// What `load` finds in a data file: one array (.npy), an archive of arrays (.npz) or a table (.csv).
public enum DataFile: Sendable, Equatable {
    case array(NpyArray)
    case archive(Npz)
    case table(Table)

    /// Reads the file at `path`, recognising .npy and .npz by their contents and CSV by the `.csv`
    /// extension; anything else is refused with the file's name.
    public static func load(_ path: String) throws -> DataFile {
        let bytes = try FileContents.read(path)
        if bytes.starts(with: NpyArray.magic) { return .array(try NpyArray(decoding: bytes, file: path)) }
        if bytes.starts(with: [0x50, 0x4B]) { return .archive(try Npz(decoding: bytes, file: path)) }
        let lowered = path.lowercased()
        if lowered.hasSuffix(".csv") { return .table(try TableCSV.decode(bytes, file: path)) }
        if lowered.hasSuffix(".npy") {
            return .array(try NpyArray(decoding: bytes, file: path))  // throws: bad magic or truncated
        }
        if lowered.hasSuffix(".npz") { return .archive(try Npz(decoding: bytes, file: path)) }
        throw FileFailure.corrupt(path, "not a .npy, .npz or .csv file",
                                  hint: "rgs loads numpy arrays (.npy), archives (.npz) and CSV tables (.csv)")
    }
}
