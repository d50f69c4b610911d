import Foundation
import RGSNumerics

/// Writes that never leave a partial file: the bytes go to a temporary file in the target's
/// directory, are flushed to disk (`fsync`), and the temporary file is renamed over the target.
/// A reader sees either the old file or the complete new one. A symbolic link is followed: the
/// file it points to is replaced and the link stays. Ctrl-C (`Cancellation`) during the write
/// stops it: the temporary file is removed, the target is left as it was, and `Cancelled` is thrown.
public enum AtomicFile {
    /// Atomically replaces (or creates) the file at `path` with `bytes`.
    ///
    /// On Linux the bytes first go to an unnamed file (`O_TMPFILE`) that gets a (hidden) name only
    /// for the instant between `linkat` and `rename`: a process killed while writing (SIGKILL, a
    /// second Ctrl-C) leaves no temporary file behind. Where the file system has no unnamed files,
    /// a named temporary file from `mkstemp` is used (removed on every error, not on SIGKILL).
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let path = SymbolicLinks.target(of: path)
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        if try writeUnnamed(bytes, to: path, directory: directory, name: url.lastPathComponent) { return }
        var template = Array("\(directory)/.\(url.lastPathComponent).XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw cannotCreate(path, directory) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        do {
            defer { close(descriptor) }
            try fill(descriptor, with: bytes, path: path)
        } catch {
            unlink(temporary)
            throw error
        }
        try replace(path, with: temporary)
    }

    /// The `O_TMPFILE` write; false when the directory cannot hold unnamed files (or the kernel
    /// cannot name one through /proc), and the caller falls back to `mkstemp`.
    private static func writeUnnamed(_ bytes: [UInt8], to path: String, directory: String, name: String) throws -> Bool {
        #if os(Linux) && (arch(x86_64) || arch(arm64))
        let unnamed: Int32 = 0o20000000 | O_DIRECTORY  // O_TMPFILE (not imported into Swift)
        let descriptor = open(directory, unnamed | O_WRONLY | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            if errno == ENOENT || errno == EACCES || errno == ENOTDIR || errno == EROFS { throw cannotCreate(path, directory) }
            return false  // EOPNOTSUPP, EISDIR (old kernels), EINVAL: no unnamed files here
        }
        defer { close(descriptor) }
        try fill(descriptor, with: bytes, path: path)
        for _ in 0..<100 {
            let temporary = "\(directory)/.\(name).\(UInt32.random(in: 0...UInt32.max))"
            if linkat(AT_FDCWD, "/proc/self/fd/\(descriptor)", AT_FDCWD, temporary, AT_SYMLINK_FOLLOW) == 0 {
                try replace(path, with: temporary)
                return true
            }
            if errno != EEXIST { return false }
        }
        return false
        #else
        return false
        #endif
    }

    /// Writes `bytes`, makes the file 0644, flushes it to disk, and checks for Ctrl-C a last time.
    private static func fill(_ descriptor: Int32, with bytes: [UInt8], path: String) throws {
        try writeAll(bytes, to: descriptor, path: path)
        fchmod(descriptor, 0o644)  // mkstemp creates the file 0600
        guard fsync(descriptor) == 0 else { throw FileFailure.unwritable(path, "fsync failed (\(errnoText()))") }
        // The last moment to back out: after the rename the new file is in place.
        try Cancellation.check()
    }

    /// Renames `temporary` over `path` (removing it when that fails).
    private static func replace(_ path: String, with temporary: String) throws {
        guard rename(temporary, path) == 0 else {
            let reason = errnoText()
            unlink(temporary)
            throw FileFailure.unwritable(path, "cannot replace the file (\(reason))")
        }
    }

    private static func cannotCreate(_ path: String, _ directory: String) -> CoreError {
        FileFailure.unwritable(path, "cannot create a file in '\(directory)' (\(errnoText()))",
                               hint: "check that the directory exists and is writable")
    }

    /// Atomically replaces (or creates) the file at `path` with `data`.
    public static func write(_ data: Data, to path: String) throws {
        try write([UInt8](data), to: path)
    }

    /// Atomically replaces (or creates) the file at `path` with UTF-8 `text`.
    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    /// Writes in slices of 8 MiB, checking for Ctrl-C between them.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        try bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                try Cancellation.check()
                let n = Foundation.write(descriptor, buffer.baseAddress! + done, min(buffer.count - done, 8 << 20))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw FileFailure.unwritable(path, "write failed (\(errnoText()))") }
                done += n
            }
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
