import CEdit
import Foundation
import RGSLanguage
import RGSNumerics

/// libedit (readline API) line input with history in `~/.rgs_history` and tab completion.
@MainActor
final class LineEditor {
    private let historyPath: String
    /// The interpreter the completer asks; libedit's callback is a C function without context.
    nonisolated(unsafe) static var completer: ((String, String) -> [String])?

    init(completer: @escaping (String, String) -> [String]) {
        historyPath = (ProcessInfo.processInfo.environment["RGS_HISTORY"]
            ?? ((ProcessInfo.processInfo.environment["HOME"] ?? ".") + "/.rgs_history"))
        LineEditor.completer = completer
        // libedit drops multibyte input (é, 日本) unless the character type is UTF-8; the C locale
        // of an unset LANG is not.
        let ctype = setlocale(LC_CTYPE, "").map { String(cString: $0) } ?? ""
        if !ctype.uppercased().contains("UTF") { setlocale(LC_CTYPE, "C.UTF-8") }
        stifle_history(2000)
        read_history(historyPath)
        rl_set_completer { text, _, _ in
            rl_set_completion_over(1)  // no filename fallback
            guard let text else { return nil }
            let word = String(cString: text)
            let line = rl_current_line().map { String(cString: $0) } ?? word
            let cursor = Int(rl_cursor())
            let prefix = String(decoding: Array(line.utf8).prefix(cursor), as: UTF8.self)
            let matches = LineEditor.completer?(prefix, word) ?? []
            if matches.count == 1, matches[0].hasSuffix(":") { rl_set_completion_append(Int32(UInt8(ascii: " "))) }
            else if matches.count == 1 { rl_set_completion_append(0) }
            return LineEditor.matchArray(matches, word: word)
        }
    }

    /// What `read` got: a line, or Ctrl-C at the prompt.
    enum Input { case line(String), interrupted }

    /// Reads a line; nil at end of input (Ctrl-D).
    func read(prompt: String) -> Input? {
        Cancellation.clear()
        guard let p = readline(prompt) else {
            if Cancellation.isRequested {
                Cancellation.clear()
                print("")
                return .interrupted
            }
            return nil
        }
        defer { free(p) }
        return .line(String(cString: p))
    }

    /// Adds an entry to the history and flushes the file, so concurrent sessions keep each other's lines.
    func remember(_ entry: String) {
        guard !entry.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        add_history(entry)
        write_history(historyPath)
    }

    /// The NULL-terminated, malloc'd array readline expects: the common prefix first, then matches.
    private static func matchArray(_ matches: [String], word: String) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        guard !matches.isEmpty else { return nil }
        let common = matches.dropFirst().reduce(matches[0]) { prefix, m in
            String(zip(prefix, m).prefix { $0 == $1 }.map(\.0))
        }
        let entries = [common] + (matches.count > 1 ? matches : [])
        // libedit frees the array and its strings with free(), so they come from malloc.
        let raw = malloc((entries.count + 1) * MemoryLayout<UnsafeMutablePointer<CChar>?>.stride)!
        let array = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: entries.count + 1)
        for (i, e) in entries.enumerated() { array[i] = strdup(e) }
        array[entries.count] = nil
        return array
    }
}
