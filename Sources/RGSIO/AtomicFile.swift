import Foundation
import RGSNumerics

/// Writes that never leave a partial file: the bytes go to a temporary file in the target's
/// directory, are flushed to disk (`fsync`), and the temporary file is renamed over the target.
/// A reader sees either the old file or the complete new one. A symbolic link is followed: the
/// file it points to is replaced and the link stays.
public enum AtomicFile {
    /// Atomically replaces (or creates) the file at `path` with `bytes`.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let path = SymbolicLinks.target(of: path)
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var template = Array("\(directory)/.\(url.lastPathComponent).XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw FileFailure.unwritable(path, "cannot create a file in '\(directory)' (\(errnoText()))",
                                         hint: "check that the directory exists and is writable")
        }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        do {
            defer { close(descriptor) }
            try writeAll(bytes, to: descriptor, path: path)
            fchmod(descriptor, 0o644)  // mkstemp creates the file 0600
            guard fsync(descriptor) == 0 else { throw FileFailure.unwritable(path, "fsync failed (\(errnoText()))") }
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let reason = errnoText()
            unlink(temporary)
            throw FileFailure.unwritable(path, "cannot replace the file (\(reason))")
        }
    }

    /// Atomically replaces (or creates) the file at `path` with `data`.
    public static func write(_ data: Data, to path: String) throws {
        try write([UInt8](data), to: path)
    }

    /// Atomically replaces (or creates) the file at `path` with UTF-8 `text`.
    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        try bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let n = Foundation.write(descriptor, buffer.baseAddress! + done, buffer.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw FileFailure.unwritable(path, "write failed (\(errnoText()))") }
                done += n
            }
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
