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
    public func render(color: Bool) -> String {
        let red = color ? "\u{1B}[1;31m" : "", blue = color ? "\u{1B}[1;34m" : "", reset = color ? "\u{1B}[0m" : ""
        var out = "\(red)error\(reset): \(message)\n"
        if let span {
            let (line, column) = span.file.location(of: span.start)
            let gutter = String(repeating: " ", count: String(line).count)
            let text = span.file.line(line)
            out += "\(gutter)\(blue)-->\(reset) \(span.file.name):\(line):\(column)\n"
            out += "\(gutter) \(blue)|\(reset)\n"
            out += "\(blue)\(line) |\(reset) \(text)\n"
            let endLocation = span.file.location(of: span.end)
            let width = endLocation.line == line ? max(1, endLocation.column - column) : max(1, text.count - column + 1)
            let pad = String(text.prefix(column - 1).map { $0 == "\t" ? "\t" : " " })
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
