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

    /// The UTF-8 text of the file at `path` (a script), with the same errors; text that is not
    /// UTF-8 is refused with the line and column of its first invalid byte.
    public static func text(_ path: String, action: String = "read") throws -> String {
        let bytes = try read(path, action: action)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let (line, column, byte) = firstInvalidUTF8(bytes)
            throw CoreError("cannot \(action) '\(path)': it is not UTF-8 text (byte 0x\(String(byte, radix: 16)) at line \(line), column \(column))",
                            hint: "save the file as UTF-8")
        }
        return text
    }

    /// The line and column (from 1, in characters) of the first byte that is not part of valid
    /// UTF-8, and that byte; (lines + 1, 1, 0) when every byte is valid.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> (line: Int, column: Int, byte: UInt8) {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var (offset, line, column) = (0, 1, 1)
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                offset += encoded.count
                if encoded.count == 1 && encoded.first == UInt8(ascii: "\n") { (line, column) = (line + 1, 1) } else { column += 1 }
            case .error:
                return (line, column, bytes[offset])
            case .emptyInput:
                return (line + 1, 1, 0)
            }
        }
    }
}
