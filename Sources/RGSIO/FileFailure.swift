import RGSNumerics

/// The one phrasing of every read failure: the file's name first, then what is wrong with it.
enum FileFailure {
    /// "cannot load 'f.npy': truncated header (...)".
    static func corrupt(_ file: String, _ what: String, hint: String? = nil) -> CoreError {
        CoreError("cannot load '\(file)': \(what)", hint: hint)
    }

    /// "cannot save 'f.npz': ...".
    static func unwritable(_ file: String, _ what: String, hint: String? = nil) -> CoreError {
        CoreError("cannot save '\(file)': \(what)", hint: hint)
    }
}
