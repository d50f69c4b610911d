import Foundation
import RGSNumerics

/// How a statement finished: normally (with the value of an expression statement), or by
/// `return`, `break` or `continue` unwinding to the enclosing function or loop.
enum Completion {
    case normal(Value?)
    case returned(Value)
    case broke
    case continued
}

extension Interpreter {
    func runTopLevel(_ statements: [Stmt]) throws(RGSError) -> [Value] {
        var shown: [Value] = []
        for s in statements {
            switch try execute(s, in: globals) {
            case .normal(let v?):
                if !isSilent(s) { shown.append(v) }
            case .normal(nil): break
            case .returned:
                throw RGSError(.runtime, "'return' outside a function", at: s.span)
            case .broke, .continued:
                throw RGSError(.runtime, "'break' or 'continue' outside a loop", at: s.span)
            }
            // A primitive that was interrupted returns its partial result; stop the script here,
            // after that result has been bound, so finished work is kept.
            if Cancellation.isRequested { throw interrupted(at: s.span, keeping: boundName(s)) }
        }
        return shown
    }

    /// The variable a top-level statement bound, if it holds an interrupted primitive's partial result.
    private func boundName(_ s: Stmt) -> String? {
        let name: String
        switch s {
        case .letBinding(let n, _, _, _): name = n
        case .assign(let target, _, _, _) where target.path.isEmpty: name = target.name
        default: return nil
        }
        guard case .object(let o)? = globals.lookup(name), o.member("partial")?.asBool == true else { return nil }
        return name
    }

    private func isSilent(_ s: Stmt) -> Bool {
        switch s {
        case .expression(_, let silent), .letBinding(_, _, let silent, _), .assign(_, _, let silent, _): return silent
        default: return true
        }
    }

    /// The value of `e`. When `e` is itself the call that failed with a partial result
    /// (`Interpreter.partialResult`; not a call nested in it, whose result `e` would not be) and
    /// `name` is a plain variable of the top level (one in a function or loop would be gone with
    /// the error), `bind` stores that result first and the message says so.
    private func evaluate(_ e: Expr, in env: Environment, keepingPartialIn name: String?,
                          bind: (Value) throws(RGSError) -> Void) throws(RGSError) -> Value {
        partialResult = nil
        do {
            return try evaluate(e, in: env)
        } catch var error {
            defer { partialResult = nil }
            if let (value, what) = partialResult, let name, !error.isInterrupt, let span = error.span,
               span.file === e.span.file, span.start == e.span.start, span.end == e.span.end {
                try bind(value)
                error.message += "; `\(name)` keeps \(what) (\(name).partial is true)"
            }
            throw error
        }
    }

    /// Ctrl-C; `keeping` names the variable that holds the work finished before it.
    func interrupted(at span: Span, keeping name: String? = nil) -> RGSError {
        let message = name.map { "interrupted: `\($0)` keeps what finished (\($0).partial is true)" }
        var e = RGSError(.runtime, message ?? "interrupted", at: span)
        e.isInterrupt = true
        return e
    }

    // MARK: Statements

    func execute(_ stmt: Stmt, in env: Environment) throws(RGSError) -> Completion {
        switch stmt {
        case .expression(.conditional(let cond, let then, let otherwise, _), _):
            // An `if` statement: `return`, `break` and `continue` inside it reach the enclosing
            // function or loop.
            return try conditional(cond, then, otherwise, in: env)
        case .expression(let e, _):
            return .normal(try evaluate(e, in: env))
        case .letBinding(let name, let e, _, _):
            let v = try evaluate(e, in: env, keepingPartialIn: env === globals ? name : nil) { env.define(name, $0) }
            env.define(name, v)
            return .normal(v)
        case .assign(let target, let e, _, _):
            if try appendInPlace(target, e, in: env) { return .normal(env.lookup(target.name)) }
            let v = try evaluate(e, in: env, keepingPartialIn: target.path.isEmpty && env === globals ? target.name : nil) { v throws(RGSError) in
                try assign(target, v, in: env)
            }
            try assign(target, v, in: env)
            return .normal(v)
        case .function(let decl):
            env.define(decl.name ?? "fn", .function(Function(user: decl, closure: env)))
            return .normal(nil)
        case .forLoop(let variable, let iterable, let body, _):
            return try forLoop(variable, iterable, body, in: env)
        case .whileLoop(let cond, let body, _):
            let loopEnv = Environment(parent: env)
            while try condition(cond, in: env) {
                if Cancellation.isRequested { throw interrupted(at: cond.span) }
                switch try executeBlock(body, in: loopEnv) {
                case .returned(let v): return .returned(v)
                case .broke: return .normal(nil)
                default: break
                }
            }
            return .normal(nil)
        case .returnValue(let e, _):
            return .returned(try e.map { e throws(RGSError) in try evaluate(e, in: env) } ?? .nothing)
        case .breakLoop:
            return .broke
        case .continueLoop:
            return .continued
        case .importFile(let path, let span):
            try importFile(path, at: span)
            return .normal(nil)
        }
    }

    private func forLoop(_ variable: String, _ iterable: Expr, _ body: Block, in env: Environment) throws(RGSError) -> Completion {
        let source = try evaluate(iterable, in: env)
        let loopEnv = Environment(parent: env)
        let count: Int
        let element: (Int) -> Value
        switch source {
        case .range(let r):
            count = r.count
            element = { .number(r.element($0)) }
        default:
            guard let items = source.elements() else {
                throw RGSError(.runtime, "cannot iterate over \(withArticle(source.typeName))", at: iterable.span,
                               hint: "loop over a list, a range such as 0..9, or a string")
            }
            count = items.count
            element = { items[$0] }
        }
        for i in 0..<count {
            if Cancellation.isRequested { throw interrupted(at: iterable.span) }
            loopEnv.define(variable, element(i))
            switch try executeBlock(body, in: loopEnv) {
            case .returned(let v): return .returned(v)
            case .broke: return .normal(nil)
            default: break
            }
        }
        return .normal(nil)
    }

    func executeBlock(_ block: Block, in env: Environment) throws(RGSError) -> Completion {
        var last: Value?
        for s in block.statements {
            let c = try execute(s, in: env)
            switch c {
            case .normal(let v):
                if case .expression = s { last = v } else { last = nil }
            default:
                return c
            }
        }
        return .normal(last)
    }

    private func condition(_ e: Expr, in env: Environment) throws(RGSError) -> Bool {
        let v = try evaluate(e, in: env)
        guard let b = v.asBool else {
            throw RGSError(.runtime, "condition must be a bool, got \(withArticle(v.typeName))", at: e.span,
                           hint: "compare explicitly, e.g. `x != 0`")
        }
        return b
    }

    // MARK: Assignment

    func assign(_ target: AssignTarget, _ value: Value, in env: Environment) throws(RGSError) {
        guard let current = env.lookup(target.name) else {
            throw RGSError(.runtime, "assignment to undefined variable '\(target.name)'", at: target.span,
                           hint: "declare it first with `let \(target.name) = ...`")
        }
        if target.path.isEmpty {
            if case .function(let f) = current, f.isBuiltin, builtins[target.name] != nil {
                throw RGSError(.runtime, "cannot assign to the builtin '\(target.name)'", at: target.span,
                               hint: "use `let \(target.name) = ...` to shadow it")
            }
            _ = env.assign(target.name, value)
            return
        }
        if target.path.count + value.nesting > Value.maximumNesting {
            throw RGSError(.runtime, Value.nestingMessage, at: target.span)
        }
        let updated = try replacing(in: current, path: target.path[...], with: value, in: env, span: target.span)
        _ = env.assign(target.name, updated)
    }

    private func replacing(in container: Value, path: ArraySlice<AssignTarget.Step>, with value: Value,
                           in env: Environment, span: Span) throws(RGSError) -> Value {
        guard let step = path.first else { return value }
        switch (step, container) {
        case (.index(let ie), .list(var xs)):
            let i = try listIndex(try evaluate(ie, in: env), count: xs.count, span: ie.span)
            xs[i] = try replacing(in: xs[i], path: path.dropFirst(), with: value, in: env, span: span)
            return .list(xs)
        case (.member(let name), .record(var r)):
            let inner = r[name] ?? .nothing
            r[name] = try replacing(in: inner, path: path.dropFirst(), with: value, in: env, span: span)
            return .record(r)
        case (.index(let ie), .record(var r)):
            guard case .string(let name) = try evaluate(ie, in: env) else {
                throw RGSError(.runtime, "record fields are indexed by strings", at: ie.span)
            }
            r[name] = try replacing(in: r[name] ?? .nothing, path: path.dropFirst(), with: value, in: env, span: span)
            return .record(r)
        default:
            throw RGSError(.runtime, "cannot assign into \(withArticle(container.typeName))", at: span,
                           hint: "only list elements and record fields can be assigned")
        }
    }

    // MARK: Expressions

    /// `container` if it nests at most `Value.maximumNesting` levels.
    private func nested(_ container: Value, _ span: Span) throws(RGSError) -> Value {
        guard container.nesting <= Value.maximumNesting else { throw RGSError(.runtime, Value.nestingMessage, at: span) }
        return container
    }

    func evaluate(_ expr: Expr, in env: Environment) throws(RGSError) -> Value {
        switch expr {
        case .number(let x, _): return .number(x)
        case .string(let s, _): return .string(s)
        case .bool(let b, _): return .bool(b)
        case .nothing: return .nothing
        case .name(let n, let span): return try lookup(n, span, in: env)
        case .list(let items, let span):
            var out: [Value] = []
            out.reserveCapacity(items.count)
            for item in items { out.append(try evaluate(item, in: env)) }
            return try nested(.list(out), span)
        case .record(let fields, let span):
            var rec = Record([])
            for (name, e) in fields { rec[name] = try evaluate(e, in: env) }
            return try nested(.record(rec), span)
        case .range(let start, let end, let step, let span):
            let a = try numberOperand(start, in: env, what: "range start")
            let b = try numberOperand(end, in: env, what: "range end")
            let s = try step.map { e throws(RGSError) in try numberOperand(e, in: env, what: "range step") } ?? 1
            guard let r = RangeValue(start: a, end: b, step: s) else {
                let problem = s == 0 ? "range step must not be zero"
                    : [a, b, s].allSatisfy(\.isFinite) ? "the range has more than 10^15 elements" : "range bounds and step must be finite"
                throw RGSError(.runtime, problem, at: span)
            }
            return .range(r)
        case .unary(let op, let e, let span):
            let v = try evaluate(e, in: env)
            return try unary(op, v, span)
        case .binary(let op, let l, let r, let span):
            return try binary(op, try evaluate(l, in: env), try evaluate(r, in: env), span, l.span, r.span)
        case .logical(let isAnd, let l, let r, _):
            let lv = try evaluate(l, in: env)
            guard let lb = lv.asBool else {
                throw RGSError(.runtime, "'\(isAnd ? "and" : "or")' needs bools, got \(withArticle(lv.typeName))", at: l.span)
            }
            if isAnd ? !lb : lb { return .bool(lb) }
            let rv = try evaluate(r, in: env)
            guard let rb = rv.asBool else {
                throw RGSError(.runtime, "'\(isAnd ? "and" : "or")' needs bools, got \(withArticle(rv.typeName))", at: r.span)
            }
            return .bool(rb)
        case .call(let callee, let args, let span):
            return try evaluateCall(callee, args, span, in: env)
        case .index(let base, let index, let span):
            return try subscriptValue(try evaluate(base, in: env), try evaluate(index, in: env), span, index.span)
        case .member(let base, let name, let span):
            return try memberValue(try evaluate(base, in: env), name, span)
        case .function(let decl):
            return .function(Function(user: decl, closure: env))
        case .conditional(let cond, let then, let otherwise, let span):
            switch try conditional(cond, then, otherwise, in: env) {
            case .normal(let v): return v ?? .nothing
            default:
                throw RGSError(.runtime, "'return', 'break' or 'continue' inside an `if` used as a value", at: span,
                               hint: "write the `if` as a statement of its own")
            }
        }
    }

    private func conditional(_ cond: Expr, _ then: Block, _ otherwise: Block?, in env: Environment) throws(RGSError) -> Completion {
        let chosen = try condition(cond, in: env) ? then : otherwise
        guard let chosen else { return .normal(.nothing) }
        return try executeBlock(chosen, in: Environment(parent: env))
    }

    private func numberOperand(_ e: Expr, in env: Environment, what: String) throws(RGSError) -> Double {
        let v = try evaluate(e, in: env)
        guard case .number(let x) = v else {
            throw RGSError(.runtime, "\(what) must be a number, got \(withArticle(v.typeName))", at: e.span)
        }
        return x
    }

    func lookup(_ name: String, _ span: Span, in env: Environment) throws(RGSError) -> Value {
        if let v = env.lookup(name) { return v }
        if Parser.commandWords.contains(name) {
            throw RGSError(.runtime, "`\(name)` is not available yet", at: span,
                           hint: "this build of rgs does not provide `\(name)`; see `help` for what it does")
        }
        let hint = Suggest.unknownName(name, among: env.allNames.union(Keyword.expressionWords), builtins: builtins)
        throw RGSError(.runtime, "unknown name '\(name)'", at: span, hint: hint)
    }
}
