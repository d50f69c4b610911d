/// A located parse or runtime error: message, span, optional hint and the call frames it passed.
public struct RGSError: Error, CustomStringConvertible {
    /// Parse errors exit with status 2, runtime errors with 1.
    public enum Kind: Sendable { case parse, runtime }

    public var kind: Kind
    public var message: String
    public var span: Span?
    public var hint: String?
    /// Innermost first: "in fn sweep at run.rgs:12:3".
    public var frames: [String] = []
    /// True for a parse error caused only by input ending too early (the REPL then continues the line).
    public var isUnexpectedEnd = false
    /// True when the user interrupted the computation (Ctrl-C).
    public var isInterrupt = false

    public init(_ kind: Kind, _ message: String, at span: Span?, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.span = span
        self.hint = hint
    }

    public var description: String { render(color: false) }

    /// The rustc-style rendering:
    /// ```
    /// error: unknown parameter 'beat' for ising
    ///  --> run.rgs:3:23
    ///   |
    /// 3 | let d = ising(L: 32, beat: 0.44)
    ///   |                      ^^^^
    ///   = help: did you mean 'beta'?
    /// ```
    /// Characters of a source line shown around the caret.
    static let shownWidth = 160

    /// Terminal columns of a character: 2 for East Asian wide characters and emoji, else 1.
    static func columns(_ c: Character) -> Int {
        guard let v = c.unicodeScalars.first?.value else { return 1 }
        let wide: [ClosedRange<UInt32>] = [0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
                                           0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1FAFF, 0x20000...0x3FFFD]
        return wide.contains { $0.contains(v) } ? 2 : 1
    }

    public func render(color: Bool) -> String {
        let red = color ? "\u{1B}[1;31m" : "", blue = color ? "\u{1B}[1;34m" : "", reset = color ? "\u{1B}[0m" : ""
        var out = "\(red)error\(reset): \(message)\n"
        if let span {
            let (line, column) = span.file.location(of: span.start)
            let gutter = String(repeating: " ", count: String(line).count)
            let text = span.file.line(line)
            out += "\(gutter)\(blue)-->\(reset) \(span.file.name):\(line):\(column)\n"
            out += "\(gutter) \(blue)|\(reset)\n"
            let endLocation = span.file.location(of: span.end)
            let characters = Array(text)
            let spanned = endLocation.line == line ? max(1, endLocation.column - column) : max(1, characters.count - column + 1)
            // A long line shows a window around the caret, so a 100 kB line does not flood the terminal.
            let first = characters.count > Self.shownWidth ? max(0, min(column - 1 - Self.shownWidth / 3, characters.count - Self.shownWidth)) : 0
            let last = min(characters.count, first + Self.shownWidth)
            let shown = (first > 0 ? "…" : "") + String(characters[first..<last]) + (last < characters.count ? "…" : "")
            out += "\(blue)\(line) |\(reset) \(shown)\n"
            let before = characters[first..<min(max(first, column - 1), last)]
            let pad = (first > 0 ? " " : "") + before.map { $0 == "\t" ? "\t" : String(repeating: " ", count: Self.columns($0)) }.joined()
            let under = characters[min(column - 1, last)..<min(column - 1 + spanned, last)]
            let width = max(1, under.reduce(0) { $0 + Self.columns($1) })
            out += "\(gutter) \(blue)|\(reset) \(pad)\(red)\(String(repeating: "^", count: width))\(reset)\n"
            if let hint { out += "\(gutter) \(blue)=\(reset) help: \(hint)\n" }
        } else if let hint {
            out += "  = help: \(hint)\n"
        }
        // Collapse runs of identical frames (deep recursion) into one line with a count.
        var i = 0
        while i < frames.count {
            var j = i
            while j + 1 < frames.count, frames[j + 1] == frames[i] { j += 1 }
            out += "  \(frames[i])" + (j > i ? " (\(j - i + 1) times)" : "") + "\n"
            i = j + 1
        }
        return out
    }
}
