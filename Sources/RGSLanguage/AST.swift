/// The syntax tree. Every node keeps the span it was parsed from, for error messages.
indirect enum Expr {
    case number(Double, Span)
    case string(String, Span)
    case bool(Bool, Span)
    case nothing(Span)
    case name(String, Span)
    case list([Expr], Span)
    case record([(String, Expr)], Span)
    case range(start: Expr, end: Expr, step: Expr?, Span)
    case unary(UnaryOp, Expr, Span)
    case binary(BinaryOp, Expr, Expr, Span)
    case logical(isAnd: Bool, Expr, Expr, Span)
    case call(callee: Expr, args: [Argument], Span)
    case index(Expr, Expr, Span)
    case member(Expr, String, Span)
    case function(FunctionDecl)
    case conditional(cond: Expr, then: Block, else: Block?, Span)

    var span: Span {
        switch self {
        case .number(_, let s), .string(_, let s), .bool(_, let s), .nothing(let s), .name(_, let s),
             .list(_, let s), .record(_, let s), .range(_, _, _, let s), .unary(_, _, let s),
             .binary(_, _, _, let s), .logical(_, _, _, let s), .call(_, _, let s), .index(_, _, let s),
             .member(_, _, let s), .conditional(_, _, _, let s):
            return s
        case .function(let f): return f.span
        }
    }
}

/// One argument of a call: positional (`label == nil`) or `label: value`.
struct Argument {
    let label: String?
    let labelSpan: Span?
    let value: Expr
}

enum UnaryOp: String { case negate = "-", not = "not" }

enum BinaryOp: String {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%", power = "^"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
}

/// A parameter of a user function, with an optional default expression.
struct ParameterDecl {
    let name: String
    let defaultValue: Expr?
    let span: Span
}

/// `fn name(params) { body }`, `fn name(params) = expr` or an anonymous `fn(x) = x * x`.
final class FunctionDecl {
    let name: String?
    let parameters: [ParameterDecl]
    let body: Block
    let span: Span

    init(name: String?, parameters: [ParameterDecl], body: Block, span: Span) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.span = span
    }

    /// The `#` comment lines right above the declaration, without their `#` (for `help`).
    var docComment: [String] {
        let before = String(decoding: span.file.bytes[..<min(span.start, span.file.bytes.count)], as: UTF8.self)
        let lines = before.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let comments = lines.reversed().prefix { $0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
        return comments.reversed().map { $0.trimmingCharacters(in: .whitespaces).dropFirst().trimmingCharacters(in: .whitespaces) }
    }
}

/// A sequence of statements; its value is the value of its last expression statement.
struct Block {
    let statements: [Stmt]
    let span: Span
}

/// Where an assignment stores: a variable, optionally followed by indices and fields (`xs[0].a = 1`).
struct AssignTarget {
    enum Step { case index(Expr), member(String) }
    let name: String
    let path: [Step]
    let span: Span
}

indirect enum Stmt {
    /// An expression; `silent` when the line ended with `;` (the REPL then shows nothing).
    case expression(Expr, silent: Bool)
    case letBinding(String, Expr, silent: Bool, Span)
    case assign(AssignTarget, Expr, silent: Bool, Span)
    case function(FunctionDecl)
    case forLoop(variable: String, iterable: Expr, body: Block, Span)
    case whileLoop(cond: Expr, body: Block, Span)
    case returnValue(Expr?, Span)
    case breakLoop(Span)
    case continueLoop(Span)
    case importFile(String, Span)

    var span: Span {
        switch self {
        case .expression(let e, _): return e.span
        case .letBinding(_, _, _, let s), .assign(_, _, _, let s), .forLoop(_, _, _, let s),
             .whileLoop(_, _, let s), .returnValue(_, let s), .breakLoop(let s), .continueLoop(let s),
             .importFile(_, let s):
            return s
        case .function(let f): return f.span
        }
    }
}
