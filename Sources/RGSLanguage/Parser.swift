/// Recursive-descent parser from tokens to statements.
///
/// Precedence, loosest first: `|` pipe, command forms, `or`, `and`, `not`, comparisons, `..` ranges,
/// `+ -`, `* / %`, unary `-`, `^` (right-associative), then calls, indexing and member access.
struct Parser {
    private let tokens: [Token]
    private var p = 0
    private var depth = 0
    /// Loops enclosing the statement being parsed, within the innermost function (a function's
    /// body starts again at 0: `break` cannot leave a loop around the `fn`).
    private var loops = 0
    /// Whether the statement being parsed is inside a function body (`return` is allowed there).
    private var inFunction = false
    /// Deep enough for any real script, shallow enough that the recursion cannot exhaust the stack.
    static let maxDepth = 200
    /// Operators, calls, indices and fields chained so far on the way to the current expression:
    /// each deepens the tree by a level (`1 + 1 + ...` is a tree as deep as it is long), which
    /// the resolver, the evaluator and freeing the tree walk recursively. Sibling statements
    /// start from their block's count.
    private var links = 0
    /// The index of the first token of the statement being parsed (a misspelt keyword is one).
    private var statementStart = 0
    /// The index of the '}' closing the latest `if` block: an `else` may follow it.
    private var elseMayFollow = -1
    /// At most this many links per statement: a tree 10,000 levels deep takes a few MB of stack
    /// to walk (a 16,300-term sum overflowed `rgs --check`'s 8 MB, and 104,000 pipes the
    /// interpreter's 512 MB).
    static let maxLinks = 10_000

    init(tokens: [Token]) { self.tokens = tokens }

    /// Parses a whole file or REPL entry.
    static func parse(_ file: SourceFile) throws(RGSError) -> [Stmt] {
        var parser = Parser(tokens: try Lexer.tokenize(file))
        return try parser.program()
    }

    // MARK: Statements

    private mutating func program() throws(RGSError) -> [Stmt] {
        var statements: [Stmt] = []
        skipTerminators()
        while !at(.end) {
            statements.append(try statement())
            try endOfStatement()
        }
        return statements
    }

    private mutating func block() throws(RGSError) -> Block {
        let open = try expect(.lbrace, "to start a block")
        var statements: [Stmt] = []
        skipTerminators()
        while !peek.isSymbol(.rbrace) {
            if at(.end) { throw unexpectedEnd("unclosed '{'", open.span) }
            statements.append(try statement())
            if !peek.isSymbol(.rbrace) { try endOfStatement() }
        }
        let close = advance()
        return Block(statements: statements, span: open.span.to(close.span))
    }

    /// The body of a `for` or `while` loop, where `break` and `continue` are allowed.
    private mutating func loopBody() throws(RGSError) -> Block {
        loops += 1
        defer { loops -= 1 }
        return try block()
    }

    private mutating func statement() throws(RGSError) -> Stmt {
        let linksBefore = links
        defer { links = linksBefore }
        statementStart = p
        let t = peek
        switch t.kind {
        case .keyword(.let):
            advance()
            let (name, nameSpan) = try identifier("a variable name after 'let'")
            try expect(.equal, "after the variable name")
            skipNewlines()
            let value = try expression()
            return .letBinding(name, value, silent: silenced, t.span.to(nameSpan))
        case .keyword(.fn) where peekAt(1).identifier != nil:
            advance()
            let (name, _) = try identifier("a function name")
            return .function(try functionRest(name: name, start: t.span))
        case .keyword(.for):
            advance()
            let (name, _) = try identifier("a loop variable after 'for'")
            guard peek.isKeyword(.in) else {
                throw error("expected 'in' after the loop variable", peek.span,
                            hint: peek.identifier.flatMap { Suggest.hint($0, in: ["in"]) } ?? "write `for \(name) in LIST { ... }`")
            }
            advance()
            skipNewlines()
            let iterable = try expression()
            let body = try loopBody()
            return .forLoop(variable: name, iterable: iterable, body: body, t.span.to(body.span))
        case .keyword(.while):
            advance()
            let cond = try expression()
            let body = try loopBody()
            return .whileLoop(cond: cond, body: body, t.span.to(body.span))
        case .keyword(.return):
            guard inFunction else {
                throw error("'return' outside a function", t.span, hint: "`return` leaves a function early; a script ends at its last line")
            }
            advance()
            if isTerminator(peek) || peek.isSymbol(.rbrace) { return .returnValue(nil, t.span) }
            let value = try expression()
            return .returnValue(value, t.span.to(value.span))
        case .keyword(.break), .keyword(.continue):
            guard loops > 0 else {
                throw error("'\(t.isKeyword(.break) ? "break" : "continue")' outside a loop", t.span,
                            hint: inFunction ? "a function's body is not part of a loop around its `fn`; use `return` to leave the function"
                                             : "`break` and `continue` work inside `for` and `while` bodies")
            }
            advance()
            return t.isKeyword(.break) ? .breakLoop(t.span) : .continueLoop(t.span)
        case .keyword(.import):
            advance()
            guard case .string(let path) = peek.kind else {
                throw error("expected a file name in quotes after 'import'", peek.span)
            }
            let s = advance().span
            return .importFile(path, t.span.to(s))
        default:
            let e = try expression()
            if peek.isSymbol(.equal) {
                let eq = advance()
                let target = try assignTarget(e, eq.span)
                skipNewlines()
                let value = try expression()
                return .assign(target, value, silent: silenced, e.span.to(value.span))
            }
            return .expression(e, silent: silenced)
        }
    }

    /// True when the statement being parsed is followed by `;` (the REPL then prints nothing).
    private var silenced: Bool { peek.isSymbol(.semicolon) }

    private func assignTarget(_ e: Expr, _ eq: Span) throws(RGSError) -> AssignTarget {
        var path: [AssignTarget.Step] = []
        var cur = e
        while true {
            switch cur {
            case .name(let n, _):
                return AssignTarget(name: n, path: path.reversed(), span: e.span)
            case .index(let base, let i, _):
                path.append(.index(i))
                cur = base
            case .member(let base, let m, _):
                path.append(.member(m))
                cur = base
            case .call(.name(let name, _), _, _) where path.isEmpty:
                // `f(x) = x * x`: a function definition without `fn`.
                throw RGSError(.parse, "cannot assign to a call", at: e.span,
                               hint: "define a function with `fn \(name)(...) = ...`; compare with `==`")
            default:
                throw RGSError(.parse, "cannot assign to this expression", at: e.span,
                               hint: "assign to a variable, `xs[i]` or `r.field`; compare with `==`")
            }
        }
    }

    private mutating func endOfStatement() throws(RGSError) {
        if at(.end) || peek.isSymbol(.rbrace) { return }
        guard isTerminator(peek) else {
            // `mesure m of d`, `laod "f.npz"`, `lett x = 1`, `retrun x`: a misspelt command word or
            // keyword reads as a name followed by another name or a string; the caret goes to it.
            var hint: String?
            let operand = peek.startsOperand  // `whiel true {` too
            // `fr x in xs`: a name then `in` is a `for` loop, whichever keyword is nearer.
            let loop = peekAt(1).isKeyword(.in) ? previous.identifier.flatMap { Suggest.hint($0, in: ["for"]) } : nil
            // `let n = trian ae on d`: a command word also begins the value of a `let` or assignment.
            let valueStart = p - 1 == statementStart || (p >= 2 && tokens[p - 2].isSymbol(.equal))
            let candidates = p - 1 == statementStart ? Parser.commandWords.union(Parser.statementKeywords) : Parser.commandWords
            if valueStart, let word = previous.identifier, operand, !Parser.commandWords.contains(word),
               let suggestion = loop ?? Suggest.hint(word, in: candidates) {
                throw error("unknown word '\(word)' before \(describe(peek))", previous.span, hint: suggestion)
            }
            // `plot d too "f.png"`, `train ae on d epochs: 5, batch: 10`; a joiner spelt right
            // (`f(x) on d`) stands where no command form reads it.
            let joiners = ["to": "plot X to FILE opts` (options after the file) and `save X to FILE", "on": "train MODEL on DATA", "from": "flow MODEL from DATA",
                           "of": "measure OBS of X", "using": "measure OBS of X using NET"]
            if hint == nil, let word = peek.identifier {
                // `x adn y` and `} els {` too: the words that continue an expression or an `if`.
                let continuing = Parser.operatorWords + (p - 1 == elseMayFollow ? ["else"] : [])
                hint = joiners[word].map { "'\(word)' belongs in `\($0)`" } ?? Suggest.hint(word, in: Array(joiners.keys) + continuing)
                if ["elif", "elsif", "elseif"].contains(word), p - 1 == elseMayFollow { hint = "write `else if`" }
            }
            if peek.isSymbol(.comma) { hint = "a command's options are separated by spaces, not commas: epochs: 5 batch: 10" }
            throw error("expected a new line or ';' before \(describe(peek))", peek.span, hint: hint)
        }
        skipTerminators()
    }

    /// The keywords that join two operands, for "did you mean" on a misspelt one.
    static let operatorWords = ["and", "or"]

    /// The keywords that begin a statement, for "did you mean" on a misspelt one.
    static let statementKeywords: Set<String> = ["let", "fn", "if", "for", "while", "return", "import"]

    private func isTerminator(_ t: Token) -> Bool { t.kind == .newline || t.isSymbol(.semicolon) || t.kind == .end }

    private mutating func skipTerminators() {
        while peek.kind == .newline || peek.isSymbol(.semicolon) { advance() }
    }

    private mutating func functionRest(name: String?, start: Span) throws(RGSError) -> FunctionDecl {
        let open = try expect(.lparen, "before the parameters")
        var params: [ParameterDecl] = []
        var seenDefault = false
        while !peek.isSymbol(.rparen) {
            if at(.end) { throw unexpectedEnd("unclosed '('", open.span) }
            let (pname, pspan) = try identifier("a parameter name")
            if params.contains(where: { $0.name == pname }) {
                throw error("duplicate parameter '\(pname)'", pspan)
            }
            var def: Expr?
            if peek.isSymbol(.colon) || peek.isSymbol(.equal) {
                advance()
                def = try expression()
                seenDefault = true
            } else if seenDefault {
                throw error("parameter '\(pname)' without a default follows one with a default", pspan)
            }
            params.append(ParameterDecl(name: pname, defaultValue: def, span: pspan))
            if !peek.isSymbol(.comma) { break }
            advance()
        }
        try expect(.rparen, "after the parameters", opening: open)
        let (outerLoops, outerInFunction) = (loops, inFunction)
        (loops, inFunction) = (0, true)
        defer { (loops, inFunction) = (outerLoops, outerInFunction) }
        let body: Block
        if peek.isSymbol(.equal) {
            advance()
            skipNewlines()
            let e = try expression()
            body = Block(statements: [.expression(e, silent: false)], span: e.span)
        } else {
            body = try block()
        }
        return FunctionDecl(name: name, parameters: params, body: body, span: start.to(body.span))
    }

    // MARK: Expressions

    mutating func expression() throws(RGSError) -> Expr {
        try nested { (p: inout Parser) throws(RGSError) in try p.pipe() }
    }

    private mutating func pipe() throws(RGSError) -> Expr {
        var left = try command()
        while peek.isSymbol(.pipe) {
            try link(advance().span)
            skipNewlines()
            left = try pipeTarget(subject: left)
        }
        return left
    }

    /// `x | f(k: v)` is `f(x, k: v)`; `x | f` is `f(x)`; `x | measure T using net` and
    /// `x | plot to "f.png"` fill the command's subject.
    private mutating func pipeTarget(subject: Expr) throws(RGSError) -> Expr {
        if let cmd = try commandForm(subject: subject) { return cmd }
        let target = try orExpr()
        let span = subject.span.to(target.span)
        if case .call(let callee, let args, _) = target {
            return .call(callee: callee, args: [Argument(label: nil, labelSpan: nil, value: subject)] + args, span)
        }
        return .call(callee: target, args: [Argument(label: nil, labelSpan: nil, value: subject)], span)
    }

    mutating func command() throws(RGSError) -> Expr {
        if let cmd = try commandForm(subject: nil) { return cmd }
        return try destination(of: try orExpr())
    }

    mutating func orExpr() throws(RGSError) -> Expr {
        var left = try andExpr()
        while peek.isKeyword(.or) {
            try link(advance().span)
            skipNewlines()
            let right = try andExpr()
            left = .logical(isAnd: false, left, right, left.span.to(right.span))
        }
        return left
    }

    private mutating func andExpr() throws(RGSError) -> Expr {
        var left = try notExpr()
        while peek.isKeyword(.and) {
            try link(advance().span)
            skipNewlines()
            let right = try notExpr()
            left = .logical(isAnd: true, left, right, left.span.to(right.span))
        }
        return left
    }

    private mutating func notExpr() throws(RGSError) -> Expr {
        if peek.isKeyword(.not) {
            let t = advance()
            skipNewlines()
            let operand = try nested { (p: inout Parser) throws(RGSError) in try p.notExpr() }
            return .unary(.not, operand, t.span.to(operand.span))
        }
        return try comparison()
    }

    private mutating func comparison() throws(RGSError) -> Expr {
        var left = try rangeExpr()
        let ops: [Symbol: BinaryOp] = [.equalEqual: .equal, .bangEqual: .notEqual, .less: .less,
                                       .lessEqual: .lessEqual, .greater: .greater, .greaterEqual: .greaterEqual]
        while case .symbol(let s) = peek.kind, let op = ops[s] {
            try link(advance().span)
            skipNewlines()
            let right = try rangeExpr()
            left = .binary(op, left, right, left.span.to(right.span))
        }
        return left
    }

    private mutating func rangeExpr() throws(RGSError) -> Expr {
        let start = try additive()
        guard peek.isSymbol(.dotdot) else { return start }
        advance()
        skipNewlines()
        let end = try additive()
        var step: Expr?
        if peek.identifier == "step" {
            advance()
            skipNewlines()
            step = try additive()
        }
        return .range(start: start, end: end, step: step, start.span.to(step?.span ?? end.span))
    }

    private mutating func additive() throws(RGSError) -> Expr {
        var left = try multiplicative()
        while peek.isSymbol(.plus) || peek.isSymbol(.minus) {
            let t = advance()
            try link(t.span)
            let op: BinaryOp = t.isSymbol(.plus) ? .add : .subtract
            skipNewlines()
            let right = try multiplicative()
            left = .binary(op, left, right, left.span.to(right.span))
        }
        return left
    }

    private mutating func multiplicative() throws(RGSError) -> Expr {
        var left = try unary()
        while case .symbol(let s) = peek.kind, s == .star || s == .slash || s == .percent {
            try link(advance().span)
            skipNewlines()
            let right = try unary()
            let op: BinaryOp = s == .star ? .multiply : s == .slash ? .divide : .remainder
            left = .binary(op, left, right, left.span.to(right.span))
        }
        return left
    }

    mutating func unary() throws(RGSError) -> Expr {
        if peek.isSymbol(.minus) {
            let t = advance()
            let operand = try nested { (p: inout Parser) throws(RGSError) in try p.unary() }
            return .unary(.negate, operand, t.span.to(operand.span))
        }
        if peek.isSymbol(.plus) {
            advance()
            return try nested { (p: inout Parser) throws(RGSError) in try p.unary() }
        }
        return try power()
    }

    private mutating func power() throws(RGSError) -> Expr {
        let base = try postfix()
        guard peek.isSymbol(.caret) else { return base }
        advance()
        skipNewlines()
        let exponent = try nested { (p: inout Parser) throws(RGSError) in try p.unary() }
        return .binary(.power, base, exponent, base.span.to(exponent.span))
    }

    private mutating func postfix() throws(RGSError) -> Expr {
        var e = try primary()
        while true {
            if peek.isSymbol(.lparen) || peek.isSymbol(.lbracket) || peek.isSymbol(.dot) { try link(peek.span) }
            if peek.isSymbol(.lparen) {
                let open = advance()
                let args = try arguments(closing: .rparen, open: open)
                e = .call(callee: e, args: args, e.span.to(previous.span))
            } else if peek.isSymbol(.lbracket) {
                let open = advance()
                let i = try expression()
                try expect(.rbracket, "after the index", opening: open)
                e = .index(e, i, e.span.to(previous.span))
            } else if peek.isSymbol(.dot) {
                advance()
                guard let name = peek.labelName else { throw error("expected a field name after '.'", peek.span) }
                let s = advance().span
                e = .member(e, name, e.span.to(s))
            } else {
                return e
            }
        }
    }

    private mutating func arguments(closing: Symbol, open: Token) throws(RGSError) -> [Argument] {
        var args: [Argument] = []
        let base = links
        var deepest = links
        defer { links = deepest }
        while !peek.isSymbol(closing) {
            if at(.end) { throw unexpectedEnd("unclosed '\(open.span.text)'", open.span) }
            if let label = peek.labelName, peekAt(1).isSymbol(.colon) {
                let ls = advance().span
                advance()
                if args.contains(where: { $0.label == label }) {
                    throw error("argument '\(label)' given twice", ls)
                }
                args.append(Argument(label: label, labelSpan: ls, value: try item(from: base, &deepest)))
            } else {
                if args.contains(where: { $0.label != nil }) {
                    throw error("positional argument after a keyword argument", peek.span,
                                hint: "put positional arguments first")
                }
                args.append(Argument(label: nil, labelSpan: nil, value: try item(from: base, &deepest)))
            }
            if !peek.isSymbol(.comma) { break }
            advance()
        }
        try expect(closing, "to close the argument list", opening: open)
        return args
    }

    private mutating func primary() throws(RGSError) -> Expr {
        let t = peek
        switch t.kind {
        case .number(let v): advance(); return .number(v, t.span)
        case .string(let s): advance(); return .string(s, t.span)
        case .keyword(.true): advance(); return .bool(true, t.span)
        case .keyword(.false): advance(); return .bool(false, t.span)
        case .keyword(.nil): advance(); return .nothing(t.span)
        case .identifier(let n): advance(); return .name(n, t.span)
        case .keyword(.fn):
            advance()
            return .function(try functionRest(name: nil, start: t.span))
        case .keyword(.if):
            return try conditional()
        case .symbol(.lparen):
            advance()
            let e = try expression()
            try expect(.rparen, "to close '('", opening: t)
            return e
        case .symbol(.lbracket):
            advance()
            var items: [Expr] = []
            let base = links
            var deepest = links
            defer { links = deepest }
            while !peek.isSymbol(.rbracket) {
                if at(.end) { throw unexpectedEnd("unclosed '['", t.span) }
                items.append(try item(from: base, &deepest))
                if !peek.isSymbol(.comma) { break }
                advance()
            }
            try expect(.rbracket, "to close the list", opening: t)
            return .list(items, t.span.to(previous.span))
        case .symbol(.lbrace):
            return try record()
        case .end:
            // "let z = 1 +" then the end (the lines after an operator continue it): say what was wanted.
            let last = tokens[..<p].last { $0.kind != .newline }
            throw unexpectedEnd(last.map { "expected an expression after \(describe($0)), found the end of the input" }
                                    ?? "unexpected end of input", t.span)
        default:
            var hint: String?
            if case .keyword(let k) = t.kind { hint = "'\(k.rawValue)' is a reserved word" }
            // `:help ising` piped into rgs or in a script: the colon commands are the prompt's.
            if t.isSymbol(.colon), p == statementStart, let word = peekAt(1).identifier {
                hint = "`:\(word)` is a command of the rg> prompt; a script or piped input writes `help NAME` or `import \"file.rgs\"`"
            }
            // `xs[2..]`: a range has both ends.
            if previous.isSymbol(.dotdot) { hint = "a range needs its end: `xs[2..-1]` runs to the last element" }
            throw error("expected an expression, found \(describe(t))", t.span, hint: hint)
        }
    }

    private mutating func record() throws(RGSError) -> Expr {
        let open = advance()
        var fields: [(String, Expr)] = []
        let base = links
        var deepest = links
        defer { links = deepest }
        skipNewlines()
        while !peek.isSymbol(.rbrace) {
            if at(.end) { throw unexpectedEnd("unclosed '{'", open.span) }
            guard let name = peek.labelName ?? { if case .string(let s) = peek.kind { return s } else { return nil } }() else {
                throw error("expected a field name in the record", peek.span,
                            hint: "records are written {name: value, ...}")
            }
            let ns = advance().span
            if fields.contains(where: { $0.0 == name }) { throw error("field '\(name)' given twice", ns) }
            try expect(.colon, "after the field name")
            fields.append((name, try item(from: base, &deepest)))
            skipNewlines()
            if !peek.isSymbol(.comma) { break }
            advance()
            skipNewlines()
        }
        try expect(.rbrace, "to close the record", opening: open)
        return .record(fields, open.span.to(previous.span))
    }

    private mutating func conditional() throws(RGSError) -> Expr {
        let t = advance()
        let cond = try expression()
        let then = try block()
        elseMayFollow = p - 1
        var otherwise: Block?
        // `else` may sit on the next line after the closing brace.
        var look = p
        while tokens[look].kind == .newline { look += 1 }
        if tokens[look].isKeyword(.else) {
            p = look + 1
            if peek.isKeyword(.if) {
                let inner = try conditional()
                otherwise = Block(statements: [.expression(inner, silent: false)], span: inner.span)
            } else {
                otherwise = try block()
            }
        }
        return .conditional(cond: cond, then: then, else: otherwise, t.span.to(otherwise?.span ?? then.span))
    }

    // MARK: Token helpers

    var peek: Token { tokens[p] }
    var previous: Token { tokens[max(0, p - 1)] }
    func peekAt(_ k: Int) -> Token { tokens[min(p + k, tokens.count - 1)] }
    func at(_ kind: Token.Kind) -> Bool { peek.kind == kind }

    @discardableResult
    mutating func advance() -> Token {
        let t = tokens[p]
        if p < tokens.count - 1 { p += 1 }
        return t
    }

    mutating func skipNewlines() { while peek.kind == .newline { advance() } }

    @discardableResult
    mutating func expect(_ s: Symbol, _ context: String, opening: Token? = nil) throws(RGSError) -> Token {
        guard peek.isSymbol(s) else {
            if at(.end), let opening { throw unexpectedEnd("unclosed '\(opening.span.text)'", opening.span) }
            if at(.end) { throw unexpectedEnd("expected '\(s.rawValue)' \(context)", peek.span) }
            var message = "expected '\(s.rawValue)' \(context), found \(describe(peek))"
            if let opening {
                message += " (the '\(opening.span.text)' at \(opening.span.locationDescription) is not closed)"
            }
            // `if x adn y {`, `f(x ro y)`: a misspelt operator word after an operand; `} else fi
            // x {`: a misspelt `if`; `f(nto x)`: a misspelt `not` before an operand.
            var hint = peek.identifier.flatMap { Suggest.hint($0, in: Parser.operatorWords + (s == .lbrace ? ["if"] : [])) }
            if hint == nil, let word = previous.identifier, peek.startsOperand { hint = Suggest.hint(word, in: ["not"]) }
            throw error(message, peek.span, hint: hint)
        }
        return advance()
    }

    mutating func identifier(_ what: String) throws(RGSError) -> (String, Span) {
        guard case .identifier(let n) = peek.kind else {
            if at(.end) { throw unexpectedEnd("expected \(what)", peek.span) }
            var hint: String?
            if case .keyword(let k) = peek.kind { hint = "'\(k.rawValue)' is a reserved word" }
            throw error("expected \(what), found \(describe(peek))", peek.span, hint: hint)
        }
        return (n, advance().span)
    }

    /// One item of a list, record or argument list. Items sit side by side in the tree, so each
    /// starts from the links before the first, and `deepest` keeps the most any reached.
    private mutating func item(from base: Int, _ deepest: inout Int) throws(RGSError) -> Expr {
        links = base
        let e = try expression()
        deepest = max(deepest, links)
        return e
    }

    /// Counts one more link of a chain (`a + b`, `x | f`, `f()`, `xs[i]`, `r.a`), refusing a
    /// statement with more than `maxLinks`.
    private mutating func link(_ span: Span) throws(RGSError) {
        links += 1
        guard links <= Parser.maxLinks else {
            throw error("statement too long: more than \(Parser.maxLinks) operators, calls, indices or fields in a row",
                        span, hint: "split it over several statements with let, or build long sums with sum(...) over a list")
        }
    }

    /// Runs a nested parse, refusing nesting deep enough to threaten the stack.
    mutating func nested(_ body: (inout Parser) throws(RGSError) -> Expr) throws(RGSError) -> Expr {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Parser.maxDepth else {
            throw error("expression nested too deeply (more than \(Parser.maxDepth) levels)", peek.span)
        }
        return try body(&self)
    }

    func describe(_ t: Token) -> String {
        switch t.kind {
        case .number: return "number '\(t.span.text)'"
        case .string: return "a string"
        case .identifier(let n): return "'\(n)'"
        case .keyword(let k): return "'\(k.rawValue)'"
        case .symbol(let s): return "'\(s.rawValue)'"
        case .newline: return "end of line"
        case .end: return "end of input"
        }
    }

    func error(_ message: String, _ span: Span, hint: String? = nil) -> RGSError {
        RGSError(.parse, message, at: span, hint: hint)
    }

    func unexpectedEnd(_ message: String, _ span: Span) -> RGSError {
        var e = RGSError(.parse, message, at: span)
        e.isUnexpectedEnd = true
        return e
    }
}
