import RGSNumerics

/// A `.npz` archive: named arrays (numpy's `savez`) plus an optional JSON metadata document.
///
/// Each array is a zip member `NAME.npy`; the metadata is the member `metadata.json` (UTF-8 JSON).
/// numpy users read both directly: `z = np.load("f.npz"); z["weights"]` gives an array, and
/// `json.loads(z["metadata.json"])` the metadata (numpy returns non-.npy members as bytes).
public struct Npz: Sendable, Equatable {
    /// The arrays in archive order.
    public var arrays: [(name: String, array: NpyArray)]
    /// JSON text stored as `metadata.json`, if any.
    public var metadata: String?

    /// The zip member name of the metadata document.
    public static let metadataMember = "metadata.json"

    /// An archive of named arrays and optional JSON metadata.
    public init(arrays: [(name: String, array: NpyArray)] = [], metadata: String? = nil) {
        self.arrays = arrays
        self.metadata = metadata
    }

    /// The array called `name`, if any.
    public subscript(name: String) -> NpyArray? { arrays.first { $0.name == name }?.array }

    /// The archive's names, in order.
    public var names: [String] { arrays.map(\.name) }

    public static func == (a: Npz, b: Npz) -> Bool {
        a.metadata == b.metadata && a.arrays.map(\.name) == b.arrays.map(\.name)
            && a.arrays.map(\.array) == b.arrays.map(\.array)
    }

    /// The bytes of a `.npz` file (stored members, as `numpy.savez` writes); `file` names it in errors.
    public func encoded(file: String = "archive") throws -> [UInt8] {
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw FileFailure.unwritable(file, "two arrays are named '\(name)'")
        }
        // Each of these copies of a large array takes a fraction of a second: check for Ctrl-C between them.
        var members = [ZipArchive.Member]()
        for (name, array) in arrays {
            try Cancellation.check()
            members.append(ZipArchive.Member(name: name + ".npy", bytes: array.encoded()))
        }
        if let metadata { members.append(.init(name: Npz.metadataMember, bytes: Array(metadata.utf8))) }
        return try ZipArchive.encode(members, file: file)
    }

    /// Reads a `.npz` file's bytes (stored or deflated, as written by `savez` / `savez_compressed`).
    /// Members that are neither `.npy` arrays nor `metadata.json` are ignored.
    public init(decoding data: [UInt8], file: String) throws {
        if data.starts(with: NpyArray.magic) {
            throw FileFailure.corrupt(file, "not a zip archive", hint: "it is a single array: name it .npy")
        }
        arrays = []
        metadata = nil
        for member in try ZipArchive.members(of: data, file: file) {
            if member.name == Npz.metadataMember {
                guard let text = String(validating: member.bytes, as: UTF8.self) else {
                    throw FileFailure.corrupt(file, "metadata.json is not UTF-8 text")
                }
                metadata = text
            } else if member.name.hasSuffix(".npy") {
                let name = String(member.name.dropLast(4))
                // A zip may repeat a name (appending to an archive does); which one is meant is unknown.
                guard self[name] == nil else { throw FileFailure.corrupt(file, "it holds two arrays named '\(name)'") }
                arrays.append((name, try NpyArray(decoding: member.bytes, file: "\(file)[\(member.name)]")))
            }
        }
    }

    /// Reads the `.npz` file at `path`.
    public static func load(from path: String) throws -> Npz {
        try Npz(decoding: FileContents.read(path), file: path)
    }

    /// Writes the archive to `path`, atomically.
    public func save(to path: String) throws {
        let bytes = try encoded(file: path)
        try Cancellation.check()
        try AtomicFile.write(bytes, to: path)
    }
}
