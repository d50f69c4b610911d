/// A piece of rgs source text with the name it is reported under (a path, `<repl>` or `-e`).
public final class SourceFile: Sendable {
    public let name: String
    public let text: String
    /// The UTF-8 bytes of `text`; spans index into them.
    public let bytes: [UInt8]
    private let lineStarts: [Int]

    /// A leading byte-order mark (editors on Windows write one) is not part of the text.
    public init(name: String, text: String) {
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        self.name = name
        self.text = text
        self.bytes = Array(text.utf8)
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        self.lineStarts = starts
    }

    /// 1-based line and column (in characters) of a byte offset.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let o = max(0, min(offset, bytes.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= o { lo = mid } else { hi = mid - 1 }
        }
        let prefix = bytes[lineStarts[lo]..<o]
        let column = String(decoding: prefix, as: UTF8.self).count + 1
        return (lo + 1, column)
    }

    /// The text of 1-based line `n`, without its newline.
    public func line(_ n: Int) -> String {
        guard n >= 1, n <= lineStarts.count else { return "" }
        let start = lineStarts[n - 1]
        var end = n < lineStarts.count ? lineStarts[n] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }
}

/// A byte range in a source file: every token and AST node carries one.
public struct Span: Sendable {
    public let file: SourceFile
    public let start: Int
    public let end: Int

    public init(file: SourceFile, start: Int, end: Int) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest span covering both.
    public func to(_ other: Span) -> Span {
        Span(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    /// "file:line:col".
    public var locationDescription: String {
        let (l, c) = file.location(of: start)
        return "\(file.name):\(l):\(c)"
    }

    /// The source text under the span.
    public var text: String {
        let s = max(0, min(start, file.bytes.count)), e = max(s, min(end, file.bytes.count))
        return String(decoding: file.bytes[s..<e], as: UTF8.self)
    }
}
