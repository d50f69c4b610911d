import Foundation
import RGSNumerics

/// Whole-file reads with errors that name the file.
enum FileContents {
    /// The bytes of the file at `path`, or a `CoreError` saying why it cannot be read.
    static func read(_ path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CoreError("cannot load '\(path)': no such file")
        }
        guard !isDirectory.boolValue else { throw CoreError("cannot load '\(path)': it is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CoreError("cannot load '\(path)': the file is not readable", hint: "check its permissions")
        }
        return [UInt8](data)
    }
}
