import RGSNumerics

/// The type a builtin parameter accepts; checked before the builtin runs.
public indirect enum ParamType: Sendable {
    case any
    case number
    /// An integral number (exact up to 2^53).
    case integer
    case bool
    case string
    case list
    case function
    /// One of a fixed set of names, written bare (`algorithm: wolff`) or as a string.
    case choice([String])
    /// A host object of the given kind ("Ensemble", "Net", "Matrix", ...).
    case kind(String)
    case oneOf([ParamType])

    /// "number", "one of metropolis, wolff", "Ensemble or list".
    public var description: String {
        switch self {
        case .any: return "any value"
        case .number: return "number"
        case .integer: return "integer"
        case .bool: return "bool"
        case .string: return "string"
        case .list: return "list"
        case .function: return "function"
        case .choice(let names): return "one of " + names.joined(separator: ", ")
        case .kind(let k): return k
        case .oneOf(let ts): return ts.map(\.description).joined(separator: " or ")
        }
    }

    /// The choices this type admits as bare names (for symbol arguments and completion).
    var choices: [String] {
        switch self {
        case .choice(let names): return names
        case .oneOf(let ts): return ts.flatMap(\.choices)
        default: return []
        }
    }

    func accepts(_ v: Value) -> Bool {
        switch (self, v) {
        case (.any, _): return true
        case (.number, .number): return true
        case (.integer, .number(let x)): return x == x.rounded() && abs(x) <= 9_007_199_254_740_992
        case (.bool, .bool), (.string, .string), (.function, .function): return true
        case (.list, .list), (.list, .range): return true
        case (.choice(let names), .string(let s)): return names.contains(s)
        case (.kind(let k), .object(let o)): return o.kindName == k
        case (.oneOf(let ts), _): return ts.contains { $0.accepts(v) }
        default: return false
        }
    }
}

/// One declared parameter of a builtin: the single source for argument checking, `help`,
/// completion of keyword names and "did you mean".
public struct Parameter {
    public let name: String
    public let type: ParamType
    /// Used when the argument is omitted; nil means required unless `optional`.
    public let defaultValue: Value?
    /// May be omitted without a default (the builtin decides, e.g. `beta` or `T`).
    public let optional: Bool
    public let unit: String?
    public let doc: String
    /// Only given by name (`propagation: mean`): positional arguments pass over it, so that a
    /// variadic builtin such as `stack(a, b, c)` can have options.
    public let keywordOnly: Bool

    public init(_ name: String, _ type: ParamType, default defaultValue: Value? = nil, optional: Bool = false,
                unit: String? = nil, keywordOnly: Bool = false, _ doc: String) {
        self.keywordOnly = keywordOnly
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.optional = optional
        self.unit = unit
        self.doc = doc
    }

    var isRequired: Bool { defaultValue == nil && !optional }
}

/// A function implemented in Swift, with its declared parameters and one-line documentation.
public struct Builtin {
    public let name: String
    public let summary: String
    public let parameters: [Parameter]
    /// Extra positional arguments collected into `Arguments.rest` (e.g. `print(a, b, c)`).
    public let variadic: Parameter?
    /// Other names users reach for (`autoencoder` for `ae`): an unknown name among them suggests this builtin.
    public let aliases: [String]
    /// Longer help: details and examples, shown by `help NAME`.
    public let details: String
    public let body: (Arguments) throws -> Value

    /// The error for a keyword argument that is none of the parameters, with the likely one.
    func unknownParameter(_ label: String, at span: Span) -> RGSError {
        let names = parameters.map(\.name)
        return RGSError(.runtime, "unknown parameter '\(label)' for \(name)", at: span,
                        hint: Suggest.hint(label, in: names) ?? "\(name) takes: \(names.joined(separator: ", "))")
    }

    public init(_ name: String, _ summary: String, parameters: [Parameter] = [], variadic: Parameter? = nil,
                aliases: [String] = [], details: String = "", body: @escaping (Arguments) throws -> Value) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.variadic = variadic
        self.aliases = aliases
        self.details = details
        self.body = body
    }

    /// `ising(L, beta, T, h: 0, samples: 1000, ...)`.
    public var signature: String {
        var parts = parameters.map { p -> String in
            if let d = p.defaultValue { return "\(p.name): \(d.summary)" }
            return p.optional ? "\(p.name)?" : p.name
        }
        if let v = variadic { parts.append("\(v.name)...") }
        return "\(name)(\(parts.joined(separator: ", ")))"
    }

    /// The text of `help NAME`.
    public var helpText: String {
        var out = "\(signature)\n  \(summary)\n"
        let all = parameters + (variadic.map { [$0] } ?? [])
        if !all.isEmpty {
            out += "\nparameters:\n"
            let width = all.map(\.name.count).max() ?? 0
            for p in all {
                var line = "  " + p.name.padding(width) + "  " + p.type.description
                if let u = p.unit { line += " [\(u)]" }
                if let d = p.defaultValue { line += ", default \(d.summary)" } else if p.isRequired { line += ", required" }
                out += line + "\n" + String(repeating: " ", count: width + 4) + p.doc + "\n"
            }
        }
        if !details.isEmpty { out += "\n" + details + (details.hasSuffix("\n") ? "" : "\n") }
        return out
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}

/// The checked arguments of one builtin call, with located errors and a way to call back into rgs.
public struct Arguments {
    public let builtin: Builtin
    let values: [String: Value]
    let spans: [String: Span]
    /// Extra positional arguments of a variadic builtin.
    public let rest: [Value]
    public let callSpan: Span
    let interpreter: Interpreter

    /// True if the argument was given (or has a default).
    public func has(_ name: String) -> Bool { values[name] != nil }

    /// True if the call spelt the argument out (a default does not count).
    public func isGiven(_ name: String) -> Bool { spans[name] != nil }

    /// The argument's value (its default if omitted), or nil if optional and omitted.
    public func value(_ name: String) -> Value? { values[name] }

    public func number(_ name: String) throws -> Double {
        guard case .number(let x)? = values[name] else { throw missing(name) }
        return x
    }

    public func optionalNumber(_ name: String) throws -> Double? {
        guard let v = values[name], case .number(let x) = v else { return nil }
        return x
    }

    /// An integral argument as Int (the registry has already checked integrality).
    public func int(_ name: String) throws -> Int {
        let x = try number(name)
        guard x == x.rounded(), abs(x) <= 9_007_199_254_740_992 else {
            throw error("`\(name)` must be an integer (got \(formatNumber(x)))", at: name)
        }
        return Int(x)
    }

    public func optionalInt(_ name: String) throws -> Int? {
        values[name] == nil ? nil : try int(name)
    }

    public func string(_ name: String) throws -> String {
        guard case .string(let s)? = values[name] else { throw missing(name) }
        return s
    }

    public func bool(_ name: String) throws -> Bool {
        guard case .bool(let b)? = values[name] else { throw missing(name) }
        return b
    }

    /// A host object argument of the given Swift type.
    public func object<T>(_ name: String, as type: T.Type) throws -> T {
        guard let v = values[name], let o = v.object(T.self) else { throw missing(name) }
        return o
    }

    /// Numbers from a number, list or range argument (`beta: 0.44`, `T: [1, 2]`, `T: 0..6 step 0.25`).
    public func numbers(_ name: String) throws -> [Double]? {
        guard let v = values[name] else { return nil }
        switch v {
        case .number(let x): return [x]
        case .range(let r):
            guard r.count <= 10_000_000 else { throw error("`\(name)` has too many values (\(r.count))", at: name) }
            return (0..<r.count).map(r.element)
        case .list(let xs):
            return try xs.map { x in
                guard case .number(let n) = x else {
                    throw error("`\(name)` must hold numbers, found \(withArticle(x.typeName))", at: name)
                }
                return n
            }
        default:
            throw error("`\(name)` must be a number or a list of numbers, got \(withArticle(v.typeName))", at: name)
        }
    }

    /// The source span of an argument (the call's span if it was omitted).
    public func span(of name: String) -> Span { spans[name] ?? callSpan }

    /// A runtime error located at argument `name` (or at the call).
    public func error(_ message: String, at name: String? = nil, hint: String? = nil) -> RGSError {
        RGSError(.runtime, message, at: name.map(span(of:)) ?? callSpan, hint: hint)
    }

    /// `error`, keeping `value` (described by `what`, e.g. "the weights of epoch 3"): a `let` or
    /// assignment of this call binds it before the error propagates and names it in the message.
    public func fail(_ error: RGSError, keeping value: Value, _ what: String) -> RGSError {
        interpreter.partialResult = (value, what)
        return error
    }

    /// Calls an rgs function value (a closure or a builtin) with positional arguments.
    public func call(_ f: Function, _ args: [Value]) throws -> Value {
        try interpreter.call(f, args, at: callSpan)
    }

    /// Text output (stdout or the interpreter's capture).
    public func write(_ text: String) { interpreter.output(text) }

    /// The interpreter running this call (for builtins such as `help` and `import`).
    public var context: Interpreter { interpreter }

    private func missing(_ name: String) -> RGSError {
        error("internal: argument `\(name)` of \(builtin.name) is missing or of the wrong type")
    }
}
