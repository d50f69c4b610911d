/// Turns source text into tokens. Newlines are tokens (they end statements) except inside
/// brackets and parentheses; `#` starts a comment; a `#!` first line is skipped.
struct Lexer {
    private let file: SourceFile
    private let b: [UInt8]
    private var i = 0
    /// Open (, [ nesting: newlines inside them are not statement ends.
    private var depth: [UInt8] = []

    init(_ file: SourceFile) {
        self.file = file
        self.b = file.bytes
    }

    static func tokenize(_ file: SourceFile) throws(RGSError) -> [Token] {
        var lexer = Lexer(file)
        return try lexer.run()
    }

    private mutating func run() throws(RGSError) -> [Token] {
        var tokens: [Token] = []
        if b.starts(with: [UInt8(ascii: "#"), UInt8(ascii: "!")]) { skipComment() }
        while true {
            skipSpaces()
            guard i < b.count else { break }
            let c = b[i]
            let start = i
            switch c {
            case UInt8(ascii: "#"):
                skipComment()
            case UInt8(ascii: "\n"):
                i += 1
                if depth.last.map({ $0 == UInt8(ascii: "{") }) ?? true {
                    tokens.append(Token(kind: .newline, span: span(start)))
                }
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                tokens.append(try number())
            case UInt8(ascii: "."):
                if i + 1 < b.count, isDigit(b[i + 1]), !(tokens.last.map(Lexer.endsOperand) ?? false) {
                    tokens.append(try number())
                } else {
                    tokens.append(try symbol())
                }
            case UInt8(ascii: "\""):
                tokens.append(try string())
            case _ where c >= 0x80 && isInvisible(at: i):
                let (scalar, length) = unicodeScalar(at: i)!
                i += length
                throw RGSError(.parse, "invisible character \(Lexer.describe(scalar)) here", at: span(start),
                               hint: "delete it (pasted text often carries them)")
            case _ where isIdentStart(c):
                while i < b.count, isIdentPart(b[i]), !(b[i] >= 0x80 && endsName(at: i)) { i += 1 }
                let word = String(decoding: b[start..<i], as: UTF8.self)
                let kind: Token.Kind = Keyword(rawValue: word).map { .keyword($0) } ?? .identifier(word)
                tokens.append(Token(kind: kind, span: span(start)))
            default:
                let t = try symbol()
                if case .symbol(let s) = t.kind {
                    switch s {
                    case .lparen, .lbracket, .lbrace: depth.append(c)
                    case .rparen, .rbracket, .rbrace: _ = depth.popLast()
                    default: break
                    }
                }
                tokens.append(t)
            }
        }
        tokens.append(Token(kind: .end, span: span(b.count)))
        return tokens
    }

    private static func endsOperand(_ t: Token) -> Bool {
        switch t.kind {
        case .number, .string, .identifier: return true
        case .symbol(let s): return s == .rparen || s == .rbracket || s == .rbrace
        default: return false
        }
    }

    private func span(_ start: Int) -> Span { Span(file: file, start: start, end: i) }

    private mutating func skipSpaces() {
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                i += 1
            } else if let length = spaceLength(at: i) {
                i += length  // a no-break or thin space, as pasted text carries them
            } else if c == UInt8(ascii: "\\"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "\n") {
                i += 2  // explicit line continuation
            } else {
                break
            }
        }
    }

    private mutating func skipComment() {
        while i < b.count, b[i] != UInt8(ascii: "\n") { i += 1 }
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
    private func isIdentStart(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || c == UInt8(ascii: "_") || c >= 0x80
    }
    private func isIdentPart(_ c: UInt8) -> Bool { isIdentStart(c) || isDigit(c) }

    /// The Unicode scalar starting at byte `k` and its length in bytes, for a non-ASCII lead byte.
    private func unicodeScalar(at k: Int) -> (Unicode.Scalar, Int)? {
        guard k < b.count, b[k] >= 0xC0 else { return nil }
        let length = b[k] >= 0xF0 ? 4 : b[k] >= 0xE0 ? 3 : 2
        guard k + length <= b.count, let scalar = String(decoding: b[k..<(k + length)], as: UTF8.self).unicodeScalars.first,
              scalar != "\u{FFFD}" else { return nil }
        return (scalar, length)
    }

    /// `U+200B (zero width space)`: a character that does not show, by code and name.
    static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return (scalar.properties.name ?? scalar.properties.nameAlias).map { "\(code) (\($0.lowercased()))" } ?? code
    }

    /// A format or control character or a Unicode line break (zero-width space or joiner, a
    /// byte-order mark inside the text, NEL and the other C1 controls, U+2028 and U+2029, which
    /// end no statement here).
    private func isInvisible(at k: Int) -> Bool {
        [.format, .control, .lineSeparator, .paragraphSeparator].contains(unicodeScalar(at: k)?.0.properties.generalCategory)
    }

    /// The length in bytes of a Unicode space at byte `k` (no-break U+00A0, narrow no-break U+202F,
    /// thin, ...); nil for any other character.
    private func spaceLength(at k: Int) -> Int? {
        unicodeScalar(at: k).flatMap { scalar, length in scalar.properties.generalCategory == .spaceSeparator ? length : nil }
    }

    /// Whether the character at byte `k` is no part of a name: a Unicode space or an invisible one.
    private func endsName(at k: Int) -> Bool { spaceLength(at: k) != nil || isInvisible(at: k) }

    private mutating func number() throws(RGSError) -> Token {
        let start = i
        while i < b.count, isDigit(b[i]) || b[i] == UInt8(ascii: "_") { i += 1 }
        // A fraction, but not the start of a range `0..6`.
        if i < b.count, b[i] == UInt8(ascii: "."), !(i + 1 < b.count && b[i + 1] == UInt8(ascii: ".")) {
            i += 1
            while i < b.count, isDigit(b[i]) || b[i] == UInt8(ascii: "_") { i += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            var j = i + 1
            if j < b.count, b[j] == UInt8(ascii: "+") || b[j] == UInt8(ascii: "-") { j += 1 }
            if j < b.count, isDigit(b[j]) {
                i = j
                while i < b.count, isDigit(b[i]) { i += 1 }
            }
        }
        let text = String(decoding: b[start..<i], as: UTF8.self).replacingOccurrences("_", "")
        guard let value = Double(text) else {
            throw RGSError(.parse, "malformed number '\(text)'", at: span(start))
        }
        if i < b.count, isIdentStart(b[i]), !endsName(at: i) {
            let s = i
            while i < b.count, isIdentPart(b[i]) { i += 1 }
            throw RGSError(.parse, "unexpected '\(String(decoding: b[s..<i], as: UTF8.self))' after a number",
                           at: Span(file: file, start: s, end: i), hint: "put an operator or a space between them")
        }
        return Token(kind: .number(value), span: span(start))
    }

    private mutating func string() throws(RGSError) -> Token {
        let start = i
        i += 1
        var out = [UInt8]()
        while true {
            guard i < b.count, b[i] != UInt8(ascii: "\n") else {
                // Strings end on their line, so more input could not close this one: not an
                // unexpected end (the REPL reports it at once instead of asking for a continuation).
                throw RGSError(.parse, "unterminated string", at: span(start), hint: "close it with \" on the same line (use \\n for a line break)")
            }
            let c = b[i]
            if c == UInt8(ascii: "\"") { i += 1; break }
            if c == UInt8(ascii: "\\"), i + 1 < b.count {
                let esc = b[i + 1]
                switch esc {
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): out.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(esc)
                default:
                    throw RGSError(.parse, "unknown escape '\\\(Character(Unicode.Scalar(esc)))' in string",
                                   at: Span(file: file, start: i, end: i + 2), hint: "use \\n, \\t, \\\" or \\\\")
                }
                i += 2
                continue
            }
            out.append(c)
            i += 1
        }
        return Token(kind: .string(String(decoding: out, as: UTF8.self)), span: span(start))
    }

    private mutating func symbol() throws(RGSError) -> Token {
        let start = i
        let two = i + 1 < b.count ? String(decoding: b[i...(i + 1)], as: UTF8.self) : ""
        if let s = Symbol(rawValue: two) {
            i += 2
            return Token(kind: .symbol(s), span: span(start))
        }
        let one = String(decoding: b[i...i], as: UTF8.self)
        i += 1
        if let s = Symbol(rawValue: one) { return Token(kind: .symbol(s), span: span(start)) }
        let hints: [String: String] = [
            "!": "use `not` (and `!=` for inequality)", "&": "use `and`", "'": "strings use double quotes",
            "`": "strings use double quotes", "$": "variables need no sigil",
        ]
        if b[start] < 0x20 || b[start] == 0x7F {
            throw RGSError(.parse, "unexpected control character \(Lexer.describe(Unicode.Scalar(b[start])))", at: span(start),
                           hint: "delete it: a script is plain text")
        }
        throw RGSError(.parse, "unexpected character '\(one)'", at: span(start), hint: hints[one])
    }
}

extension String {
    func replacingOccurrences(_ target: Character, _ replacement: String) -> String {
        var out = ""
        for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
        return out
    }
}
