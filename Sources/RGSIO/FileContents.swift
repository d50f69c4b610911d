import Foundation
import RGSNumerics

/// Whole-file reads with errors that name the file and say why it cannot be read.
public enum FileContents {
    /// The bytes of the file at `path`, or a `CoreError` "cannot `action` 'path': reason".
    public static func read(_ path: String, action: String = "load") throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CoreError("cannot \(action) '\(path)': no such file", hint: missingFileHint(path))
        }
        guard !isDirectory.boolValue else { throw CoreError("cannot \(action) '\(path)': it is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CoreError("cannot \(action) '\(path)': the file is not readable", hint: "check its permissions")
        }
        return [UInt8](data)
    }

    /// Why a path names no file: a missing folder on the way, or where relative paths start.
    static func missingFileHint(_ path: String) -> String {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) || !isDirectory.boolValue {
            return "the folder '\(folder)' does not exist"
        }
        return path.hasPrefix("/") ? "no file of that name in '\(folder)'"
            : "relative paths start at the directory rgs runs in: \(FileManager.default.currentDirectoryPath)"
    }

    /// The UTF-8 text of the file at `path` (a script), with the same errors.
    public static func text(_ path: String, action: String = "read") throws -> String {
        guard let text = String(validating: try read(path, action: action), as: UTF8.self) else {
            throw CoreError("cannot \(action) '\(path)': it is not UTF-8 text")
        }
        return text
    }
}
