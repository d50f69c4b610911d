/// Tab completion from names only (never by evaluating anything): keywords, builtins, variables,
/// keyword-argument names inside a builtin's or user function's parentheses, choice names after
/// `param:`, and members after `variable.`.
extension Interpreter {
    /// Candidates that complete `word`, the identifier being typed at the end of `linePrefix`.
    public func completions(linePrefix: String, word: String) -> [String] {
        let before = String(linePrefix.dropLast(word.count))
        let trimmed = before.trimmingTrailingSpaces()

        // `x.<Tab>`: members of a host object held by variable x. libedit does not break words
        // at ".", so the word is then "x.co" and the matches are whole "x.count".
        if let dot = word.lastIndex(of: ".") {
            let base = String(word[..<dot]), member = String(word[word.index(after: dot)...])
            return members(of: trailingIdentifier(base), prefix: member).map { base + "." + $0 }
        }
        if trimmed.hasSuffix(".") { return members(of: trailingIdentifier(String(trimmed.dropLast())), prefix: word) }

        var candidates: [String] = []
        if let (callee, afterColon) = enclosingCall(trimmed) {
            if let param = afterColon, let b = builtins[callee],
               let p = b.parameters.first(where: { $0.name == param }) {
                // `algorithm: <Tab>`: only the parameter's choices, when it has them.
                if !p.type.choices.isEmpty { return p.type.choices.filter { $0.hasPrefix(word) }.sorted() }
            } else if afterColon == nil, trimmed.hasSuffix("(") || trimmed.hasSuffix(",") {
                let names: [String]
                if let b = builtins[callee] { names = b.parameters.map(\.name) }
                else if case .function(let f)? = globals.lookup(callee) { names = f.parameterNames }
                else { names = [] }
                candidates += names.map { $0 + ":" }
            }
        }
        candidates += Keyword.allCases.map(\.rawValue)
        candidates += globals.allNames
        var seen = Set<String>()
        return candidates.filter { $0.hasPrefix(word) && seen.insert($0).inserted }.sorted()
    }

    /// Member names of the value held by variable `name` that start with `prefix`.
    private func members(of name: String?, prefix: String) -> [String] {
        switch name.flatMap(globals.lookup) {
        case .object(let o)?: return o.memberNames.filter { $0.hasPrefix(prefix) }.sorted()
        case .record(let r)?: return r.fields.map(\.name).filter { $0.hasPrefix(prefix) }
        default: return []
        }
    }

    /// The name of the call whose parentheses are still open at the end of `text`, and the
    /// keyword-argument name just before the cursor when the text ends in `name:`.
    private func enclosingCall(_ text: String) -> (String, String?)? {
        let chars = Array(text)
        var depth = 0
        var i = chars.count - 1
        var inString = false
        while i >= 0 {
            let c = chars[i]
            if c == "\"" { inString.toggle() }
            if !inString {
                if c == ")" || c == "]" { depth += 1 }
                if c == "[" { depth -= 1 }
                if c == "(" {
                    if depth == 0 {
                        guard let callee = trailingIdentifier(String(chars[0..<i])) else { return nil }
                        var afterColon: String?
                        if text.hasSuffix(":") { afterColon = trailingIdentifier(String(text.dropLast())) }
                        return (callee, afterColon)
                    }
                    depth -= 1
                }
            }
            i -= 1
        }
        return nil
    }

    private func trailingIdentifier(_ text: String) -> String? {
        let t = text.trimmingTrailingSpaces()
        let ident = t.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return ident.isEmpty ? nil : String(ident.reversed())
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while let last = s.last, last == " " || last == "\t" { s.removeLast() }
        return s
    }
}
