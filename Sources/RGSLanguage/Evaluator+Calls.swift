import Foundation
import RGSNumerics

extension Interpreter {
    func evaluateCall(_ calleeExpr: Expr, _ args: [Argument], _ span: Span, in env: Environment) throws(RGSError) -> Value {
        let callee = try evaluate(calleeExpr, in: env)
        guard case .function(let f) = callee else {
            throw RGSError(.runtime, "\(withArticle(callee.typeName)) is not callable", at: calleeExpr.span,
                           hint: "only functions and builtins can be called")
        }
        switch f.kind {
        case .builtin(let b):
            let bound = try bind(b, args, span, in: env)
            return try invoke(b, bound)
        case .user(let decl, let closure):
            var values: [(label: String?, labelSpan: Span?, value: Value, span: Span)] = []
            for a in args { values.append((a.label, a.labelSpan, try evaluate(a.value, in: env), a.value.span)) }
            return try callUser(decl, closure, values, span)
        }
    }

    /// Calls a function value with positional arguments (from builtins such as `map`).
    func call(_ f: Function, _ args: [Value], at span: Span) throws(RGSError) -> Value {
        switch f.kind {
        case .builtin(let b):
            var values: [String: Value] = [:]
            var rest: [Value] = []
            let positional = b.parameters.filter { !$0.keywordOnly }
            for (i, v) in args.enumerated() {
                if i < positional.count { values[positional[i].name] = v } else if b.variadic != nil { rest.append(v) } else {
                    throw RGSError(.runtime, "too many arguments to \(b.name) (it takes \(b.parameters.count))", at: span)
                }
            }
            for p in b.parameters where values[p.name] == nil {
                if let d = p.defaultValue { values[p.name] = d } else if p.isRequired {
                    throw RGSError(.runtime, "missing argument `\(p.name)` for \(b.name)", at: span, hint: b.signature)
                }
            }
            for p in b.parameters {
                if let v = values[p.name], !p.type.accepts(v) {
                    throw RGSError(.runtime, "bad argument `\(p.name)` to \(b.name): \(p.type.description) expected, got \(describe(v))",
                                   at: span, hint: integerHint(p.type, v))
                }
            }
            return try invoke(b, Arguments(builtin: b, values: values, spans: [:], rest: rest, callSpan: span, interpreter: self))
        case .user(let decl, let closure):
            return try callUser(decl, closure, args.map { (nil, nil, $0, span) }, span)
        }
    }

    /// Why a whole number is not an integer argument: it is beyond 2^53, where doubles skip integers.
    private func integerHint(_ type: ParamType, _ v: Value) -> String? {
        guard case .integer = type, case .number(let x) = v, x == x.rounded(), x.isFinite else { return nil }
        return "integers are exact up to 2^53 = 9007199254740992; this one is larger"
    }

    /// For a collection whose elements would do (a Stack of RBMs, a Flow of Ensembles): how to
    /// pass one of them.
    private func elementHint(_ type: ParamType, _ v: Value, _ span: Span) -> String? {
        guard case .object(let o) = v, let count = o.length, count > 0, let first = o.element(at: 0), type.accepts(first) else { return nil }
        let held = "\(withArticle(v.typeName)) holds \(counted(count, first.typeName))"
        return span.text.count <= 20 ? "\(held): pass one, e.g. \(span.text)[0]" : "\(held): pass one of them by indexing it"
    }

    private func describe(_ v: Value) -> String {
        switch v {
        case .nothing: return "nil"
        case .number, .bool, .string: return "\(v.typeName) \(v.summary)"
        default: return "\(withArticle(v.typeName))"
        }
    }

    // MARK: Builtins

    private func bind(_ b: Builtin, _ args: [Argument], _ span: Span, in env: Environment) throws(RGSError) -> Arguments {
        var values: [String: Value] = [:]
        var spans: [String: Span] = [:]
        var rest: [Value] = []
        var position = 0
        for a in args {
            let param: Parameter
            if let label = a.label {
                guard let p = b.parameters.first(where: { $0.name == label }) else {
                    throw b.unknownParameter(label, at: a.labelSpan ?? a.value.span)
                }
                param = p
            } else {
                while position < b.parameters.count,
                      values[b.parameters[position].name] != nil || b.parameters[position].keywordOnly { position += 1 }
                guard position < b.parameters.count else {
                    if b.variadic != nil {
                        rest.append(try evaluate(a.value, in: env))
                        continue
                    }
                    throw RGSError(.runtime, "too many arguments to \(b.name) (it takes \(b.parameters.count))",
                                   at: a.value.span, hint: b.signature)
                }
                param = b.parameters[position]
            }
            guard values[param.name] == nil else {
                throw RGSError(.runtime, "argument `\(param.name)` given twice", at: a.labelSpan ?? a.value.span)
            }
            let v = try argumentValue(a.value, for: param, of: b, in: env)
            guard param.type.accepts(v) else {
                var hint = integerHint(param.type, v) ?? elementHint(param.type, v, a.value.span)
                if case .string(let s) = v, !param.type.choices.isEmpty {
                    hint = Suggest.hint(s, in: param.type.choices) ?? "choose one of: \(param.type.choices.joined(separator: ", "))"
                }
                throw RGSError(.runtime, "bad argument `\(param.name)` to \(b.name): \(param.type.description) expected, got \(describe(v))",
                               at: a.value.span, hint: hint)
            }
            values[param.name] = v
            spans[param.name] = a.value.span
        }
        for p in b.parameters where values[p.name] == nil {
            if let d = p.defaultValue { values[p.name] = d } else if p.isRequired {
                throw RGSError(.runtime, "missing argument `\(p.name)` for \(b.name)", at: span, hint: b.signature)
            }
        }
        return Arguments(builtin: b, values: values, spans: spans, rest: rest, callSpan: span, interpreter: self)
    }

    /// Evaluates an argument; a bare name given to a choice parameter is the choice itself
    /// (`algorithm: wolff`, `rule: decimate`), even where the name is also a builtin.
    private func argumentValue(_ e: Expr, for p: Parameter, of b: Builtin, in env: Environment) throws(RGSError) -> Value {
        let choices = p.type.choices
        if !choices.isEmpty, case .name(let n, let span) = e {
            if choices.contains(n) { return .string(n) }
            // Not a variable, or a function the parameter does not take (a builtin's name, such as
            // `rule: majority` where majority is not offered): an unknown choice, with the
            // parameter's note on what is left out.
            let value = env.lookup(n)
            if value == nil || (isFunction(value) && !(value.map(p.type.accepts) ?? false)) {
                let options = "choose one of: \(choices.joined(separator: ", "))" + (value == nil || p.doc.isEmpty ? "" : " (\(p.doc))")
                throw RGSError(.runtime, "unknown choice '\(n)' for `\(p.name)` of \(b.name)", at: span,
                               hint: Suggest.hint(n, in: choices) ?? options)
            }
        }
        return try evaluate(e, in: env)
    }

    private func isFunction(_ v: Value?) -> Bool {
        if case .function? = v { return true }
        return false
    }

    private func invoke(_ b: Builtin, _ args: Arguments) throws(RGSError) -> Value {
        if Cancellation.isRequested { throw interrupted(at: args.callSpan) }
        do {
            return try b.body(args)
        } catch let e as RGSError {
            throw e
        } catch let e as CoreError {
            throw RGSError(.runtime, e.message, at: e.argument.map(args.span(of:)) ?? args.callSpan, hint: e.hint)
        } catch is Cancelled {
            throw interrupted(at: args.callSpan)
        } catch {
            throw RGSError(.runtime, "\(error)", at: args.callSpan)
        }
    }

    // MARK: User functions

    private func callUser(_ decl: FunctionDecl, _ closure: Environment,
                          _ args: [(label: String?, labelSpan: Span?, value: Value, span: Span)], _ span: Span) throws(RGSError) -> Value {
        guard callDepth < Interpreter.maxCallDepth else {
            throw RGSError(.runtime, "recursion too deep (more than \(Interpreter.maxCallDepth) nested calls)", at: span,
                           hint: "check the recursion's base case")
        }
        if Cancellation.isRequested { throw interrupted(at: span) }
        callDepth += 1
        defer { callDepth -= 1 }
        let env = Environment(parent: closure)
        let name = decl.name ?? "fn"
        var given: [String: Value] = [:]
        var position = 0
        for a in args {
            if let label = a.label {
                guard decl.parameters.contains(where: { $0.name == label }) else {
                    throw RGSError(.runtime, "unknown parameter '\(label)' for \(name)", at: a.labelSpan ?? a.span,
                                   hint: Suggest.hint(label, in: decl.parameters.map(\.name)))
                }
                guard given[label] == nil else { throw RGSError(.runtime, "argument `\(label)` given twice", at: a.labelSpan ?? a.span) }
                given[label] = a.value
            } else {
                while position < decl.parameters.count, given[decl.parameters[position].name] != nil { position += 1 }
                guard position < decl.parameters.count else {
                    throw RGSError(.runtime, "too many arguments to \(name) (it takes \(decl.parameters.count))", at: a.span)
                }
                given[decl.parameters[position].name] = a.value
            }
        }
        do throws(RGSError) {
            for p in decl.parameters {
                if let v = given[p.name] {
                    env.define(p.name, v)
                } else if let d = p.defaultValue {
                    env.define(p.name, try evaluate(d, in: env))
                } else {
                    throw RGSError(.runtime, "missing argument `\(p.name)` for \(name)", at: span,
                                   hint: "\(name)(\(decl.parameters.map(\.name).joined(separator: ", ")))")
                }
            }
            switch try executeBlock(decl.body, in: env) {
            case .normal(let v): return v ?? .nothing
            case .returned(let v): return v
            case .broke, .continued:
                throw RGSError(.runtime, "'break' or 'continue' outside a loop", at: decl.body.span)
            }
        } catch var e {
            if !e.isInterrupt, e.frames.count < 2000 { e.frames.append("in fn \(name) called at \(span.locationDescription)") }
            throw e
        }
    }

    // MARK: Imports

    func importFile(_ path: String, at span: Span) throws(RGSError) {
        let fm = FileManager.default
        var candidates: [String] = []
        if path.hasPrefix("/") { candidates = [path] } else {
            candidates = ([directories.last ?? fm.currentDirectoryPath] + libraryPaths).map { $0 + "/" + path }
        }
        guard let found = candidates.first(where: { fm.fileExists(atPath: $0) }) else {
            throw RGSError(.runtime, "cannot import \"\(path)\": file not found", at: span,
                           hint: "looked in: " + candidates.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }.joined(separator: ", "))
        }
        let absolute = URL(fileURLWithPath: found).standardizedFileURL.path
        guard !imported.contains(absolute) else { return }
        imported.insert(absolute)
        guard let data = fm.contents(atPath: absolute), let text = String(data: data, encoding: .utf8) else {
            throw RGSError(.runtime, "cannot read \"\(path)\" as UTF-8 text", at: span)
        }
        do throws(RGSError) {
            try run(text, file: found)
        } catch var e {
            e.frames.append("imported at \(span.locationDescription)")
            throw e
        }
    }
}
