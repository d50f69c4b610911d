/// Static name resolution for `rgs --check`: every name used must be defined by a builtin, a
/// `let`, a `fn`, a parameter or a loop variable in an enclosing scope, and every keyword
/// argument of a builtin must be one of its parameters. Imports are assumed to define anything
/// (they are not read). Every problem is collected, so one pass reports them all.
struct Resolver {
    /// The problems found so far, in source order.
    private(set) var errors: [RGSError] = []
    private var scopes: [Set<String>]
    private var hasImports = false
    private let builtins: [String: Builtin]
    /// Names the program defines anywhere: a builtin's name among them may be shadowed.
    private var defined: Set<String> = []

    init(globals: Set<String>, builtins: [String: Builtin]) {
        scopes = [globals]
        self.builtins = builtins
    }

    mutating func check(_ statements: [Stmt]) {
        hasImports = statements.contains { if case .importFile = $0 { return true } else { return false } }
        // Top-level functions may call each other regardless of order.
        for s in statements { if case .function(let d) = s, let n = d.name { declare(n) } }
        for s in statements { statement(s) }
    }

    private mutating func declare(_ name: String) {
        scopes[scopes.count - 1].insert(name)
        defined.insert(name)
    }

    private var visible: Set<String> { scopes.reduce(into: Set<String>()) { $0.formUnion($1) } }

    private mutating func block(_ b: Block, extra: [String] = []) {
        scopes.append(Set(extra))
        defer { scopes.removeLast() }
        for s in b.statements { if case .function(let d) = s, let n = d.name { declare(n) } }
        for s in b.statements { statement(s) }
    }

    private mutating func statement(_ s: Stmt) {
        switch s {
        case .expression(let e, _): expr(e)
        case .letBinding(let n, let e, _, _):
            expr(e)
            declare(n)
        case .assign(let t, let e, _, _):
            use(t.name, t.span)
            for step in t.path { if case .index(let i) = step { expr(i) } }
            expr(e)
        case .function(let d):
            if let n = d.name { declare(n) }
            function(d)
        case .forLoop(let v, let it, let body, _):
            expr(it)
            block(body, extra: [v])
        case .whileLoop(let c, let body, _):
            expr(c)
            block(body)
        case .returnValue(let e, _): if let e { expr(e) }
        case .breakLoop, .continueLoop, .importFile: break
        }
    }

    private mutating func function(_ d: FunctionDecl) {
        scopes.append([])
        defer { scopes.removeLast() }
        for p in d.parameters {
            if let def = p.defaultValue { expr(def) }
            declare(p.name)
        }
        block(d.body)
    }

    private mutating func use(_ name: String, _ span: Span) {
        guard !hasImports, !visible.contains(name) else { return }
        if Parser.commandWords.contains(name) {
            errors.append(RGSError(.runtime, "`\(name)` is not available yet", at: span))
        } else {
            errors.append(RGSError(.runtime, "unknown name '\(name)'", at: span, hint: Suggest.unknownName(name, among: visible.union(Keyword.expressionWords), builtins: builtins)))
        }
    }

    private mutating func expr(_ e: Expr) {
        switch e {
        case .number, .string, .bool, .nothing: break
        case .name(let n, let s): use(n, s)
        case .list(let xs, _): for x in xs { expr(x) }
        case .record(let fs, _): for (_, x) in fs { expr(x) }
        case .range(let a, let b, let st, _):
            expr(a)
            expr(b)
            if let st { expr(st) }
        case .unary(_, let x, _): expr(x)
        case .binary(_, let a, let b, _), .logical(_, let a, let b, _):
            expr(a)
            expr(b)
        case .call(let callee, let args, _):
            expr(callee)
            if case .name(let n, _) = callee, !defined.contains(n), let b = builtins[n] {
                for a in args {
                    if let label = a.label, !b.parameters.contains(where: { $0.name == label }) {
                        errors.append(b.unknownParameter(label, at: a.labelSpan ?? a.value.span))
                    }
                }
            }
            // Bare names given as choices (`algorithm: wolff`) are symbols, not variables.
            for a in args {
                if a.label != nil, case .name = a.value { continue }
                expr(a.value)
            }
        case .index(let a, let b, _):
            expr(a)
            expr(b)
        case .member(let a, _, _): expr(a)
        case .function(let d): function(d)
        case .conditional(let c, let t, let f, _):
            expr(c)
            block(t)
            if let f { block(f) }
        }
    }
}
