/// A lexical token with its span.
struct Token {
    enum Kind: Equatable {
        case number(Double)
        case string(String)
        case identifier(String)
        case keyword(Keyword)
        case symbol(Symbol)
        case newline
        case end
    }

    let kind: Kind
    let span: Span

    var identifier: String? {
        if case .identifier(let n) = kind { return n }
        return nil
    }

    /// Identifiers and keywords can both name a parameter in `name: value` (e.g. `from: 1024`).
    var labelName: String? {
        switch kind {
        case .identifier(let n): return n
        case .keyword(let k): return k.rawValue
        default: return nil
        }
    }

    /// A token that can begin an operand: a name, number, string or `true`, `false`, `nil`, `not`.
    var startsOperand: Bool {
        switch kind {
        case .identifier, .number, .string: return true
        case .keyword(let k): return [.true, .false, .nil, .not].contains(k)
        default: return false
        }
    }

    func isSymbol(_ s: Symbol) -> Bool { kind == .symbol(s) }
    func isKeyword(_ k: Keyword) -> Bool { kind == .keyword(k) }
}

/// Reserved words. The command words (`train`, `on`, `flow`, `from`, `measure`, `of`, `using`,
/// `plot`, `to`, `save`, `load`, `step`) are contextual instead: they stay usable as names.
enum Keyword: String, CaseIterable {
    case `let`, fn, `if`, `else`, `for`, `in`, `while`, `return`, `break`, `continue`
    case `true`, `false`, `nil`, and, or, not, `import`

    /// The keywords that can stand where a name does (`ture` -> `true`): "did you mean"
    /// candidates for an unknown name, which never suggests `for` for `foo`.
    static let expressionWords: [String] = [`true`, `false`, `nil`, not, and, or, `if`, fn].map(\.rawValue)
}

/// Punctuation and operators.
enum Symbol: String, CaseIterable {
    case lparen = "(", rparen = ")", lbracket = "[", rbracket = "]", lbrace = "{", rbrace = "}"
    case comma = ",", colon = ":", semicolon = ";", dot = ".", dotdot = ".."
    case plus = "+", minus = "-", star = "*", slash = "/", percent = "%", caret = "^"
    case equal = "=", equalEqual = "==", bangEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case pipe = "|"
}
