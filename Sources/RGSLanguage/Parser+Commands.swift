/// The command forms of the language, sugar over calls of the builtins of the same name:
///
///     train K on DATA opts        ->  train(K, DATA, opts)
///     flow NET from DATA opts     ->  flow(NET, DATA, opts)
///     measure OBS of X using NET  ->  measure(X, OBS, using: NET)   (OBS a bare name is a symbol)
///     plot X to FILE opts         ->  plot(X, to: FILE, opts)
///     save X to FILE              ->  save(X, to: FILE)
///     load FILE                   ->  load(FILE)
///     help NAME                   ->  help("NAME")
///
/// K and NET are postfix expressions (`rbm(hidden: 4)`, `s[0]`, `nets.ae`) or any expression in
/// parentheses; `plot X` and `save X` take a whole expression, pipes included, up to `to`.
/// `opts` are `name: value` pairs without commas. After a pipe, `measure` and `plot` take the
/// piped value as their subject: `flow r from d steps: 5 | measure T using reg | plot to "f.png"`.
/// The command words are not reserved: `plot(x)`, `let to = 3` and `shallow(from: 1024)` still work.
extension Parser {
    static let commandWords: Set<String> = ["train", "flow", "measure", "plot", "save", "load", "help"]

    mutating func commandForm(subject: Expr?) throws(RGSError) -> Expr? {
        guard let word = peek.identifier, Parser.commandWords.contains(word) else { return nil }
        let next = peekAt(1)
        if let subject {
            switch word {
            case "measure" where startsOperand(next):
                let w = advance()
                return try measure(word: w, subject: subject)
            case "plot" where next.identifier == "to" || isEndOfCommand(next) || (next.labelName != nil && peekAt(2).isSymbol(.colon)):
                let w = advance()
                return try plot(word: w, subject: subject)
            case "save" where next.identifier == "to":
                let w = advance()
                return try save(word: w, subject: subject)
            default:
                return nil
            }
        }
        if word == "help", isEndOfCommand(next) {
            let w = advance()
            return .call(callee: .name(word, w.span), args: [], w.span)
        }
        guard startsOperand(next) || next.isSymbol(.lparen) && joinsData(word) else { return nil }
        let w = advance()
        switch word {
        case "train": return try trainOrFlow(word: w, joiner: "on", what: "the net to train")
        case "flow": return try trainOrFlow(word: w, joiner: "from", what: "the net or rule to flow with")
        case "measure":
            return try measure(word: w, subject: nil)
        case "plot":
            let x = try expression()
            return try plot(word: w, subject: x)
        case "save":
            let x = try expression()
            return try save(word: w, subject: x)
        case "load":
            let f = try orExpr()
            return call(w, [positional(f)], end: f.span)
        default:  // help NAME
            let t = advance()
            let name: Expr
            switch t.kind {
            case .string(let s): name = .string(s, t.span)
            default: name = .string(t.labelName ?? t.span.text, t.span)
            }
            return call(w, [positional(name)], end: t.span)
        }
    }

    private mutating func trainOrFlow(word: Token, joiner: String, what: String) throws(RGSError) -> Expr {
        let kind = try postfixOperand()
        guard peek.identifier == joiner else {
            // `train on d`: the joiner itself was read as the net.
            let example = kind.span.text == joiner ? (joiner == "on" ? "ae" : "rbm") : kind.span.text
            throw error("expected '\(joiner)' after \(what) in `\(word.span.text) ... \(joiner) DATA`",
                        peek.span, hint: "write `\(word.span.text) \(example) \(joiner) data`")
        }
        advance()
        let data = try command()
        let opts = try options()
        return call(word, [positional(kind), positional(data)] + opts, end: previous.span)
    }

    private mutating func measure(word: Token, subject: Expr?) throws(RGSError) -> Expr {
        if subject == nil, peek.identifier == "of", peekAt(1).startsOperand {
            throw error("expected an observable before 'of'", peek.span, hint: "measure energy of X (`help measure` lists the observables)")
        }
        let observable: Expr
        if let name = peek.labelName, !peekAt(1).isSymbol(.lparen), !peekAt(1).isSymbol(.dot) {
            observable = .string(name, advance().span)
        } else {
            observable = try postfixOperand()
        }
        var x = subject
        if x == nil {
            guard peek.identifier == "of" else {
                throw error("expected 'of' in `measure \(observable.span.text) of X`", peek.span)
            }
            advance()
            x = try command()
        }
        var args = [positional(x!), positional(observable)]
        if peek.identifier == "using" {
            let u = advance()
            args.append(Argument(label: "using", labelSpan: u.span, value: try orExpr()))
        }
        args += try options()
        return call(word, args, end: previous.span, from: subject?.span)
    }

    private mutating func plot(word: Token, subject: Expr) throws(RGSError) -> Expr {
        var args = [positional(subject)]
        if peek.identifier == "to" {
            let t = advance()
            args.append(Argument(label: "to", labelSpan: t.span, value: try orExpr()))
        }
        args += try options()
        return call(word, args, end: previous.span, from: subject.span)
    }

    private mutating func save(word: Token, subject: Expr) throws(RGSError) -> Expr {
        guard peek.identifier == "to" else {
            // `save plot(d) to "f.png"`: the plot took the file, as `plot(x) to "f.png"` does.
            var plotsToFile = false
            if case .call(.name("plot", _), let args, _) = subject { plotsToFile = args.contains { $0.label == "to" } }
            throw error("expected 'to' in `save X to \"file\"`", peek.span,
                        hint: plotsToFile ? "`plot(x) to \"f.png\"` writes the picture itself: drop `save`" : nil)
        }
        let t = advance()
        let file = try orExpr()
        return call(word, [positional(subject), Argument(label: "to", labelSpan: t.span, value: file)],
                    end: file.span, from: subject.span)
    }

    /// `plot(x) to "f.png" opts` and `save(x) to "f.npz"`: a call of plot or save followed by `to`
    /// takes the file (and options) as extra arguments, as the command form does.
    mutating func destination(of e: Expr) throws(RGSError) -> Expr {
        guard case .call(let callee, var args, let span) = e, case .name(let name, _) = callee,
              name == "plot" || name == "save", peek.identifier == "to", !args.contains(where: { $0.label == "to" })
        else { return e }
        let t = advance()
        args.append(Argument(label: "to", labelSpan: t.span, value: try orExpr()))
        if name == "plot" { args += try options() }
        return .call(callee: callee, args: args, span.to(previous.span))
    }

    /// `name: value` pairs after a command, ended by anything that is not such a pair.
    private mutating func options() throws(RGSError) -> [Argument] {
        var opts: [Argument] = []
        while let label = peek.labelName, peekAt(1).isSymbol(.colon) {
            let ls = advance().span
            advance()
            if opts.contains(where: { $0.label == label }) { throw error("option '\(label)' given twice", ls) }
            opts.append(Argument(label: label, labelSpan: ls, value: try orExpr()))
        }
        return opts
    }

    private mutating func postfixOperand() throws(RGSError) -> Expr {
        try nested { (p: inout Parser) throws(RGSError) in try p.unary() }
    }

    /// True when `train` or `flow` is followed by a parenthesised model and its joiner, as in
    /// `train (rbm(hidden: 4)) on d` or `flow (nets[0]).model from d`, rather than being called
    /// (`train(r, d)`): the joiner stands outside every bracket before the end of the statement.
    private func joinsData(_ word: String) -> Bool {
        guard let joiner = ["train": "on", "flow": "from"][word] else { return false }
        var depth = 0, k = 0
        while true {
            k += 1
            switch peekAt(k).kind {
            case .end: return false
            case .newline where depth == 0: return false
            case .symbol(.lparen), .symbol(.lbracket), .symbol(.lbrace): depth += 1
            case .symbol(.rparen), .symbol(.rbracket), .symbol(.rbrace):
                depth -= 1
                if depth < 0 { return false }
            case .symbol(.semicolon) where depth == 0, .symbol(.pipe) where depth == 0: return false
            case .identifier(joiner) where depth == 0: return true
            default: break
            }
        }
    }

    /// A command's operand may also be a function, a conditional, a list, a record or a negation.
    private func startsOperand(_ t: Token) -> Bool {
        t.startsOperand || t.isKeyword(.fn) || t.isKeyword(.if) || t.isSymbol(.lbracket) || t.isSymbol(.lbrace) || t.isSymbol(.minus)
    }

    private func isEndOfCommand(_ t: Token) -> Bool {
        t.kind == .newline || t.kind == .end || t.isSymbol(.semicolon) || t.isSymbol(.rparen)
            || t.isSymbol(.rbrace) || t.isSymbol(.pipe) || t.isSymbol(.comma) || t.isSymbol(.rbracket)
    }

    private func positional(_ e: Expr) -> Argument { Argument(label: nil, labelSpan: nil, value: e) }

    private func call(_ word: Token, _ args: [Argument], end: Span, from start: Span? = nil) -> Expr {
        let s = (start.map { $0.to(word.span) } ?? word.span).to(end)
        return .call(callee: .name(word.identifier ?? "", word.span), args: args, s)
    }
}
